// Tokens go only to the endpoints they were issued for. A nextLink, Location or
// Azure-AsyncOperation URL from a reply is followed only when it stays on the origin of the
// request it came from (scheme, host and port); anything else is refused before a token is sent.

export function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export function sameOrigin(a: string, b: string): boolean {
  const oa = originOf(a);
  return oa !== undefined && oa !== 'null' && oa === originOf(b);
}

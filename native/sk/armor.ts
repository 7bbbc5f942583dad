/** OpenSSH's sshbuf_dtob64 with wrapping: base64 in 70-column lines, each ending in "\n". */
export const OPENSSH_BASE64_COLUMNS = 70;

export function wrapBase64(data: Buffer): string {
  const b64 = data.toString('base64');
  let out = '';
  for (let i = 0; i < b64.length; i += OPENSSH_BASE64_COLUMNS) out += `${b64.slice(i, i + OPENSSH_BASE64_COLUMNS)}\n`;
  return out;
}

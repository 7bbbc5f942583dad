// The terminal tells core how much session output it has drawn. Core pauses a session whose output
// runs too far ahead of these acknowledgements, so a flood waits at the device (the SSH window)
// instead of piling up in the renderer.
export const ACK_EVERY_CHARS = 32 * 1024;

/** Counts drawn characters and acknowledges them in batches of at least `every`. */
export function drawnCounter(ack: (chars: number) => void, every = ACK_EVERY_CHARS): (chars: number) => void {
  let drawn = 0;
  return (chars) => {
    drawn += chars;
    if (drawn < every) return;
    ack(drawn);
    drawn = 0;
  };
}

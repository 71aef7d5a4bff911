/** A uuid v4: `crypto.randomUUID` where it exists (secure contexts), else built from random bytes. */
export function uuid(): string {
  try {
    return crypto.randomUUID();
  } catch {
    const b = new Uint8Array(16);
    try {
      crypto.getRandomValues(b);
    } catch {
      for (let i = 0; i < 16; i++) b[i] = (Math.random() * 256) | 0;
    }
    b[6] = (b[6]! & 15) | 64;
    b[8] = (b[8]! & 63) | 128;
    const h = Array.from(b, (x) => (x + 256).toString(16).slice(1)).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

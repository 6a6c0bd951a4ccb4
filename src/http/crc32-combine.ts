/**
 * CRC-32 (gzip's checksum) of joined pieces from the pieces' own checksums, without reading
 * their bytes again: a page made of pieces kept deflated (composed-gzip.ts) knows each kept
 * piece's checksum, and checksumming its whole text on every view was 3.6% of a signed-in page's
 * CPU. This is zlib's crc32_combine: a checksum is a remainder of polynomials over GF(2), and
 * appending n bytes multiplies the remainder so far by x^(8n).
 */

/** The CRC-32 polynomial, reflected, as gzip uses it. */
const POLY = 0xedb88320;

/** a * b modulo the polynomial (reflected: the top bit is x^0). */
function multiplyModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, for k = 0..31. */
const X_POW_2K: number[] = [];
{
  let p = 0x40000000; // x^1
  for (let k = 0; k < 32; k++) {
    X_POW_2K.push(p);
    p = multiplyModP(p, p);
  }
}

/** What appending `length` bytes multiplies a checksum by: x^(8 * length) modulo the polynomial. */
export function crc32Shift(length: number): number {
  let p = 0x80000000; // x^0
  // 8 * length, one bit of it at a time: x^(2^k) for each bit k set, starting at k = 3.
  for (let n = length, k = 3; n > 0; n = Math.floor(n / 2), k++) if (n % 2) p = multiplyModP(X_POW_2K[k % 32]!, p);
  return p;
}

/** The checksum of `first` followed by `second`, from their checksums and `crc32Shift(second's length)`. */
export function crc32Combine(first: number, second: number, shift: number): number {
  return (multiplyModP(shift, first) ^ second) >>> 0;
}

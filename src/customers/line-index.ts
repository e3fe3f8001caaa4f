/**
 * The line of a file that first gave each key (a phone, an external id, a customer's id), for
 * one import, kept outside the JavaScript heap: the keys as UTF-8 in one growing buffer, an
 * open-addressing table of [hash, key start, key length, line] in a typed array. A 100,000-row
 * import keeps three of these; as JavaScript Maps they held 13–29 MB of heap that stayed alive
 * to the end, and V8 lets the heap grow to a multiple of what stays alive before it collects
 * (docs/benchmarks.md, "Customer import"): here about 10 MB of bytes the heap does not count.
 */
export class LineIndex {
  private keys: Buffer = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** Four numbers a slot, at most four slots in five taken; a slot whose line is 0 is empty (lines start at 1). */
  private slots = new Uint32Array(4 << 10);
  private count = 0;
  private scratch: Buffer = Buffer.allocUnsafe(256);

  /** The line recorded for this key, or undefined. */
  get(key: string): number | undefined {
    const length = this.encode(key);
    const slot = this.find(length, hashOf(this.scratch, length));
    const line = this.slots[slot + 3];
    return line === 0 ? undefined : line;
  }

  /** Records the line for this key (replacing one recorded before). */
  set(key: string, line: number): void {
    if (!(Number.isInteger(line) && line >= 1)) throw new Error(`line ${line} is not a line number`);
    const length = this.encode(key);
    const hash = hashOf(this.scratch, length);
    const slot = this.find(length, hash);
    if (this.slots[slot + 3] === 0) {
      if (this.used + length > this.keys.length) this.keys = copied(this.keys, Math.max(this.used + length, this.keys.length * 2), this.used);
      this.scratch.copy(this.keys, this.used, 0, length);
      this.slots.set([hash, this.used, length], slot);
      this.used += length;
      this.count += 1;
    }
    this.slots[slot + 3] = line;
    if (this.count * 5 > (this.slots.length / 4) * 4) this.rehash(); // more than four slots in five taken
  }

  /** The key's UTF-8 bytes into the scratch buffer; answers their length. */
  private encode(key: string): number {
    const needed = Buffer.byteLength(key, 'utf8');
    if (needed > this.scratch.length) this.scratch = Buffer.allocUnsafe(needed * 2);
    return this.scratch.write(key, 0, 'utf8');
  }

  /** The slot holding the scratch key, or the empty slot where it would go. */
  private find(length: number, hash: number): number {
    const mask = this.slots.length / 4 - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = i * 4;
      if (this.slots[slot + 3] === 0) return slot;
      const start = this.slots[slot + 1];
      if (this.slots[slot] === hash && this.slots[slot + 2] === length && this.keys.compare(this.scratch, 0, length, start, start + length) === 0) return slot;
    }
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    const mask = this.slots.length / 4 - 1;
    for (let s = 0; s < old.length; s += 4) {
      if (old[s + 3] === 0) continue;
      let i = old[s] & mask;
      while (this.slots[i * 4 + 3] !== 0) i = (i + 1) & mask;
      this.slots.set(old.subarray(s, s + 4), i * 4);
    }
  }
}

/** FNV-1a over the first `length` bytes. */
function hashOf(bytes: Buffer, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}

function copied(bytes: Buffer, size: number, used: number): Buffer {
  const bigger = Buffer.allocUnsafe(size);
  bytes.copy(bigger, 0, 0, used);
  return bigger;
}

/**
 * A workbook's shared-string table (xl/sharedStrings.xml) kept outside the JavaScript heap:
 * the plain strings as UTF-8 in one growing buffer with their end offsets, the rare rich-text
 * entries as they are. A 100,000-row inquiry sheet has some 430,000 distinct strings: as
 * JavaScript strings they held 45 MB of heap (each still pointing into the XML chunk it was
 * cut from), here about 15 MB of bytes that the reading worker's capped heap does not count.
 */
export class SharedStrings {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private ends: Uint32Array = new Uint32Array(1 << 16);
  private count = 0;
  private readonly rich = new Map<number, unknown>();

  /** Adds the entry with this index (entries come in order, 0 first). */
  add(index: number, entry: unknown): void {
    if (index !== this.count) throw new Error(`shared string ${index} out of order`);
    if (typeof entry === 'string') this.write(entry);
    else this.rich.set(index, entry);
    if (this.count === this.ends.length) this.ends = grow(this.ends, this.count * 2);
    this.ends[this.count++] = this.used;
  }

  /** The entry: a string, a rich text ({richText}), or undefined for an index the table lacks. */
  get(index: number): unknown {
    if (!(index >= 0 && index < this.count)) return undefined;
    if (this.rich.has(index)) return this.rich.get(index);
    return this.bytes.toString('utf8', index === 0 ? 0 : this.ends[index - 1], this.ends[index]);
  }

  private write(text: string): void {
    const needed = this.used + Buffer.byteLength(text, 'utf8');
    if (needed > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2));
      this.bytes.copy(bigger, 0, 0, this.used);
      this.bytes = bigger;
    }
    this.used += this.bytes.write(text, this.used, 'utf8');
  }
}

function grow(array: Uint32Array, length: number): Uint32Array {
  const bigger = new Uint32Array(length);
  bigger.set(array);
  return bigger;
}

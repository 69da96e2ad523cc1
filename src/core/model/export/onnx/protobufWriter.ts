// A write-only Protocol Buffers encoder: just the wire types an ONNX model needs (varint, 32-bit, length-delimited).
// Written here rather than taken from protobufjs because exporting needs only these ~60 lines, no schema compiler,
// and it keeps the extension bundle free of a reflection runtime; the bytes are checked against the protobuf
// documentation's worked examples and by loading the result in ONNX Runtime (test/unit/model/onnx*.test.ts).
// Wire format: https://protobuf.dev/programming-guides/encoding/

const enum Wire {
  Varint = 0,
  Fixed32 = 5,
  Len = 2,
}

export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  /** Small fields collect here and become one chunk when a large one (bytes) or finish() comes. */
  private scratch: number[] = [];
  private length = 0;

  private flushScratch(): void {
    if (!this.scratch.length) return;
    this.push(Uint8Array.from(this.scratch));
    this.scratch = [];
  }

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  private varint(v: number | bigint): void {
    // Negative int64 values are encoded as their two's complement on 64 bits (ten bytes), as protobuf does.
    let x = BigInt.asUintN(64, BigInt(v));
    do {
      let byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x) byte |= 0x80;
      this.scratch.push(byte);
    } while (x);
  }

  private tag(field: number, wire: Wire): void {
    this.varint((field << 3) | wire);
  }

  /** int32 / int64 / enum / bool field. */
  int(field: number, v: number | bigint | boolean): this {
    this.tag(field, Wire.Varint);
    this.varint(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return this;
  }

  /** float field (fixed 32-bit little-endian IEEE 754). */
  float(field: number, v: number): this {
    this.tag(field, Wire.Fixed32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.scratch.push(...b);
    return this;
  }

  /** Length-delimited bytes field. */
  bytes(field: number, b: Uint8Array): this {
    this.tag(field, Wire.Len);
    this.varint(b.length);
    this.flushScratch();
    this.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** Embedded message field. */
  message(field: number, m: ProtoWriter): this {
    return this.bytes(field, m.finish());
  }

  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

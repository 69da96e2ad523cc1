// A typed array that doubles when full: the index passes over big files collect one value per frame without knowing
// the frame count, and a JS array of numbers would take 4–8× the memory.
export class GrowArray<T extends Float64Array | Float32Array | Int32Array | Uint16Array | Uint8Array> {
  n = 0;
  constructor(
    public a: T,
    private readonly make: (n: number) => T,
  ) {}
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = this.make(this.a.length * 2);
      b.set(this.a as never);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
  done(): T {
    return this.a.subarray(0, this.n) as T;
  }
}

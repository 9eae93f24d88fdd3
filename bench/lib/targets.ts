/** Targets a step draws from: cycling through a list, or taking each one once. */
export class Targets<T> {
  readonly items: T[] = [];
  #cursor = 0;

  add(item: T): void {
    this.items.push(item);
  }

  get size(): number {
    return this.items.length;
  }

  /** Items not yet taken by `take()`. */
  get remaining(): number {
    return this.items.length - this.#cursor;
  }

  /** The next item, starting over at the end (for calls that may repeat on one target). */
  next(): T {
    if (this.items.length === 0) throw new Error("no targets prepared");
    const item = this.items[this.#cursor % this.items.length] as T;
    this.#cursor++;
    return item;
  }

  /** The next item never handed out before; undefined when all were taken. */
  take(): T | undefined {
    return this.#cursor < this.items.length ? this.items[this.#cursor++] : undefined;
  }

  /** A random item. */
  random(): T {
    return this.items[Math.floor(Math.random() * this.items.length)] as T;
  }
}

/**
 * The parameters of one statement being composed from parts: each value gets the next `$n`,
 * cast to its type so PostgreSQL never has to guess it from context.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown, type: string): string {
    this.values.push(value);
    return `$${this.values.length}::${type}`;
  }
}

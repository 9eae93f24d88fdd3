/**
 * The notice a trigger raises beside its NOTIFY (`raise notice 'usher:changed:<channel>'`), so
 * the process that wrote hears of its own change before its statement's call returns; NOTIFY
 * reaches the listening connections of every process only a moment after the commit.
 */
const PREFIX = "usher:changed:";

/** The channel a notice announces, when it is a change notice. */
export function changedChannel(message: string | undefined): string | undefined {
  return message?.startsWith(PREFIX) ? message.slice(PREFIX.length) : undefined;
}

/** This process's subscribers to change notices, per channel. */
export class ChangeNotices {
  readonly #subscribers = new Map<string, Set<() => void>>();

  subscribe(channel: string, onChange: () => void): () => void {
    let set = this.#subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.#subscribers.set(channel, set);
    }
    const entry = (): void => onChange();
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  /** Tells the subscribers of each channel; called once the writing transaction has ended. */
  publish(channels: Iterable<string>): void {
    for (const channel of channels) for (const onChange of this.#subscribers.get(channel) ?? []) onChange();
  }
}

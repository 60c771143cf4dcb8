import type { RecordedRequest } from "./types";

/**
 * The emulator's request log: the most recent `limit` requests, oldest first. A ring, so that an emulator left
 * running (the `custom-csr emulator` command, a soak test) holds a bounded amount of memory whatever it is sent.
 */
export class RequestLog {
  private entries: RecordedRequest[] = [];
  /** Index of the oldest entry once the ring is full. */
  private start = 0;

  constructor(private readonly limit: number) {}

  /** Appends a record (kept by reference: the server completes it once the status is known). */
  push(entry: RecordedRequest): void {
    if (this.entries.length < this.limit) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.start] = entry;
    this.start = (this.start + 1) % this.limit;
  }

  /** Deep copies of the kept records, oldest first. */
  snapshot(): RecordedRequest[] {
    const ordered = [...this.entries.slice(this.start), ...this.entries.slice(0, this.start)];
    return ordered.map(copyRequest);
  }

  /** Forgets every record. */
  clear(): void {
    this.entries = [];
    this.start = 0;
  }
}

/** A copy of a record that its reader may keep or change without touching the log. */
export function copyRequest(entry: RecordedRequest): RecordedRequest {
  return { ...entry, query: { ...entry.query }, authSchemes: [...entry.authSchemes] };
}

import { close, constants, fstat, open, read } from "node:fs";
import { Socket } from "node:net";
import { promisify } from "node:util";

const openFile = promisify(open);
const statFile = promisify(fstat);
const readInto = promisify(read);
const closeFile = promisify(close);

/** Options of {@link readBoundedText}. */
export interface BoundedReadOptions {
  /** Most bytes accepted; one more byte is never read past. */
  readonly maxBytes: number;
  /** How long a pipe may take to deliver the whole text (a regular file is read at once). */
  readonly timeoutMs: number;
}

/** Why a file could not be read: a sentence that names no content of the file. */
export class BoundedReadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BoundedReadError";
  }
}

/**
 * Reads a text file a user named (a certificate, a seed file) without trusting what it is: at most `maxBytes` + 1
 * bytes are ever read, so `/dev/zero` or an endless pipe ends with "larger than"; the file is opened without
 * blocking, so a FIFO nobody writes to ends at once (empty) instead of hanging, and a pipe that goes quiet ends
 * after `timeoutMs`. Regular files, pipes (`/dev/stdin`, `<(command)`) and character devices all work; `-` reads
 * the process's standard input (a pipe or a socket).
 *
 * @throws BoundedReadError saying what went wrong (not found, too large, too slow, a directory).
 */
export async function readBoundedText(path: string, options: BoundedReadOptions): Promise<string> {
  let fd: number;
  try {
    fd = path === "-" ? 0 : await openFile(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(error);
  }
  const stats = await statFile(fd).catch(async (error: unknown) => {
    await closeFile(fd).catch(() => undefined);
    throw unreadable(error);
  });
  if (stats.isDirectory()) {
    await closeFile(fd).catch(() => undefined);
    throw new BoundedReadError("is a directory, not a file");
  }
  const bytes = stats.isFIFO() || stats.isSocket() ? await readStream(fd, options) : await readFile(fd, options);
  return bytes.toString("utf8");
}

function unreadable(error: unknown): BoundedReadError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new BoundedReadError(`cannot be read (${code})`, { cause: error });
}

function tooLarge(maxBytes: number): BoundedReadError {
  return new BoundedReadError(`is larger than ${maxBytes} bytes, far more than it should hold; refused unread`);
}

/** A regular file or a device: plain reads, never past `maxBytes` + 1. */
async function readFile(fd: number, { maxBytes }: BoundedReadOptions): Promise<Buffer> {
  const buffer = Buffer.alloc(maxBytes + 1);
  let length = 0;
  try {
    while (length <= maxBytes) {
      const { bytesRead } = await readInto(fd, buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
  } catch (error) {
    throw unreadable(error);
  } finally {
    await closeFile(fd).catch(() => undefined);
  }
  if (length > maxBytes) throw tooLarge(maxBytes);
  return buffer.subarray(0, length);
}

/**
 * A pipe: first one plain read, which ends a FIFO nobody has opened for writing at once (Linux never signals the
 * end of such a FIFO to a poller); then, while a writer is there, a stream, bounded in size and time.
 */
async function readStream(fd: number, options: BoundedReadOptions): Promise<Buffer> {
  const first = Buffer.alloc(Math.min(options.maxBytes + 1, 64 * 1024));
  let firstLength: number;
  try {
    firstLength = (await readInto(fd, first, 0, first.length, null)).bytesRead;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EAGAIN") {
      await closeFile(fd).catch(() => undefined);
      throw unreadable(error);
    }
    firstLength = -1;
  }
  if (firstLength === 0) {
    await closeFile(fd).catch(() => undefined);
    return Buffer.alloc(0);
  }
  return streamRest(fd, first.subarray(0, Math.max(firstLength, 0)), options);
}

/** The rest of a pipe after `head`, as a stream. */
function streamRest(fd: number, head: Buffer, { maxBytes, timeoutMs }: BoundedReadOptions): Promise<Buffer> {
  if (head.length > maxBytes) {
    void closeFile(fd).catch(() => undefined);
    return Promise.reject(tooLarge(maxBytes));
  }
  // The socket owns the descriptor from here on, and closes it when destroyed.
  const socket = new Socket({ fd, readable: true, writable: false });
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [head];
    let length = head.length;
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      socket.removeAllListeners("data");
      socket.destroy();
      outcome();
    };
    const timer = setTimeout(() => {
      finish(() => reject(new BoundedReadError(`gave no end of file within ${Math.ceil(timeoutMs / 1000)} s`)));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      length += chunk.length;
      if (length > maxBytes) return finish(() => reject(tooLarge(maxBytes)));
      chunks.push(chunk);
    });
    socket.once("end", () => finish(() => resolve(Buffer.concat(chunks))));
    socket.once("error", (error) => finish(() => reject(new BoundedReadError(`cannot be read (${error.message})`))));
  });
}

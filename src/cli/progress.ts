import { escapeForTerminal } from "./escape";
import type { OutputStream } from "./terminal";

/** When the indicator appears: quick commands never flash one. */
export const PROGRESS_DELAY_MS = 500;

const FRAMES = ["|", "/", "-", "\\"];
const FRAME_MS = 100;

/** Clears the progress indicator (if it was ever shown); safe to call twice. */
export type StopProgress = () => void;

/**
 * Shows `label`, a spinner and the elapsed seconds on `stream` while a slow operation runs, redrawn in place.
 * Only on a terminal and only after {@link PROGRESS_DELAY_MS}: piped output and fast commands stay clean.
 * The timers never keep the process alive. The label is escaped: it may quote what was typed (a stack name).
 */
export function startProgress(stream: OutputStream, label: string, now: () => number = Date.now): StopProgress {
  if (stream.isTTY !== true) return () => undefined;
  const text = escapeForTerminal(label);
  const started = now();
  let frame = 0;
  let shown = false;
  let ticker: NodeJS.Timeout | undefined;
  const draw = () => {
    shown = true;
    const seconds = ((now() - started) / 1000).toFixed(1);
    stream.write(`\r\u001b[2K${FRAMES[frame++ % FRAMES.length]} ${text} ${seconds} s`);
  };
  const delay = setTimeout(() => {
    draw();
    ticker = setInterval(draw, FRAME_MS);
    ticker.unref();
  }, PROGRESS_DELAY_MS);
  delay.unref();
  return () => {
    clearTimeout(delay);
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
    if (shown) stream.write("\r\u001b[2K");
    shown = false;
  };
}

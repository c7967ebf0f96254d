// console as the Node.js Lambda runtime (text log format) patches it: one record per call,
// `<ISO time>\t<request id>\t<LEVEL>\t<util.format of the arguments>`, multi-line or not.
import { format } from 'node:util';
import { sendFrame } from './channel.js';

// console.log is console.info in Lambda, and console.trace prints TRACE without a stack.
const levels = [
  ['log', 'INFO'],
  ['info', 'INFO'],
  ['warn', 'WARN'],
  ['error', 'ERROR'],
  ['debug', 'DEBUG'],
  ['trace', 'TRACE'],
  ['fatal', 'FATAL'],
] as const;

/** `requestId` gives the current invocation's id; undefined during init prints `undefined`. */
export function patchConsole(requestId: () => string | undefined): void {
  const target = console as unknown as Record<string, unknown>;
  for (const [method, level] of levels) {
    target[method] = (message?: unknown, ...params: unknown[]) => {
      const now = new Date();
      const text = `${now.toISOString()}\t${requestId()}\t${level}\t${format(message, ...params)}\n`;
      sendFrame({ type: 'log', time: now.getTime(), message: text });
    };
  }
}

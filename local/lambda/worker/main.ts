// The process of one execution environment, in the role of the Node.js runtime interface client:
// loads the handler module (init), then runs one invocation at a time as the runtime asks on
// stdin, and answers with frames on stdout. Bundled by local/lambda/worker-bundle.ts.
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { InitMessage, InvokeMessage, ToWorker } from '../protocol.js';
import { callHandler, type EmptyLoopWatch, type Handler } from './call-handler.js';
import { maxMemoryMb, sendFrame, useNonce } from './channel.js';
import { patchConsole } from './console-patch.js';
import { createContext } from './context.js';
import { errorBody, formattedError, UnhandledPromiseRejectionError } from './errors.js';

let init: InitMessage | undefined;
let handler: Handler | undefined;
/** The invocation in progress; the last one's id stays on console lines written after it. */
let current: { requestId: string; answered: boolean } | undefined;
let lastRequestId: string | undefined;

patchConsole(() => lastRequestId);

// Like the runtime, leave with 129 after an uncaught exception and 128 after an unhandled
// rejection, answering the invocation in progress with the error first.
process.on('uncaughtException', (error) => exitAfter('Uncaught Exception', error, 129));
process.on('unhandledRejection', (reason, promise) => exitAfter('Unhandled Promise Rejection', new UnhandledPromiseRejectionError(reason, promise), 128));

function exitAfter(label: string, error: unknown, code: number): never {
  console.error(label, formattedError(error));
  if (current && !current.answered) {
    sendFrame({ type: 'mark', requestId: current.requestId }, 2);
    sendFrame({ type: 'result', requestId: current.requestId, error: errorBody(error), exiting: true, maxMemoryMb: maxMemoryMb() });
  }
  process.exit(code);
}

const watchEmptyLoop: EmptyLoopWatch = (onEmpty) => {
  // stdin is what keeps an idle environment alive; without it the loop empties when the
  // function's own work is done, and `beforeExit` says so.
  process.stdin.unref();
  const listener = () => onEmpty();
  process.on('beforeExit', listener);
  return () => {
    process.removeListener('beforeExit', listener);
    process.stdin.ref();
  };
};

async function initialize(message: InitMessage): Promise<void> {
  init = message;
  useNonce(message.nonce);
  try {
    const module = (await import(pathToFileURL(message.handlerFile).href)) as Record<string, unknown>;
    const exported = module[message.handlerExport];
    if (typeof exported !== 'function') {
      const error = new Error(`${message.handlerFile} does not export a function named ${message.handlerExport}`);
      Object.defineProperty(error, 'name', { value: 'Runtime.HandlerNotFound', enumerable: false });
      throw error;
    }
    handler = exported as Handler;
    sendFrame({ type: 'ready', maxMemoryMb: maxMemoryMb() });
  } catch (error) {
    console.error('Uncaught Exception', formattedError(error));
    sendFrame({ type: 'init-error', error: errorBody(error) });
    process.exit(129);
  }
}

async function invoke(message: InvokeMessage): Promise<void> {
  if (!init || !handler) throw new Error('invoked before init');
  current = { requestId: message.requestId, answered: false };
  lastRequestId = message.requestId;
  process.env._X_AMZN_TRACE_ID = message.traceId;
  const context = createContext(init.context, message);
  const outcome = await callHandler(handler, JSON.parse(message.event), context, watchEmptyLoop);
  let payload: string | undefined;
  let error = outcome.ok ? undefined : outcome.error;
  if (outcome.ok) {
    try {
      payload = JSON.stringify(outcome.payload === undefined ? null : outcome.payload);
    } catch (cause) {
      error = cause;
    }
  }
  if (error !== undefined) console.error('Invoke Error', formattedError(error));
  current.answered = true;
  sendFrame({ type: 'mark', requestId: message.requestId }, 2);
  sendFrame({
    type: 'result',
    requestId: message.requestId,
    ...(error === undefined ? { payload } : { error: errorBody(error) }),
    maxMemoryMb: maxMemoryMb(),
  });
  current = undefined;
}

const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  const message = JSON.parse(line) as ToWorker;
  if (message.type === 'init') void initialize(message);
  else void invoke(message);
});
// The runtime closed our stdin: it is shutting down or gone.
input.on('close', () => process.exit(0));

// Pure classification of a generic HTTP receiver's answer: it takes or refuses a request whole.
import { classifyStatus } from '../shared/classify.js';
import { answerText, type StoreAnswer } from '../shared/http-sink.js';
import { delivered, refusedWhole, type SendOutcome } from '../shared/outcome.js';

/** 2xx stores every record; any other status fails them all as classifyStatus says, and a 400 asks to isolate the record at fault. */
export function classifyHttpAnswer(answer: StoreAnswer, count: number): SendOutcome {
  const verdict = classifyStatus(answer.status, answer.headers['retry-after']);
  const text = answerText(answer);
  return verdict.ok ? delivered(text) : refusedWhole(verdict, count, text, text, { isolate: answer.status === 400 || answer.status === 422 });
}

// Form submission for every view: the browser's constraint checks in plain words, one submission
// at a time (the button is disabled and the form marked busy meanwhile), and any failure shown as
// a problem on the form.
import { describeError, type Action } from '../messages.js';
import { clearInvalid, markInvalid, type Screen } from './screen.js';

export type FormValues = Record<string, string>;

export function onSubmit(form: HTMLFormElement, screen: Screen, action: Action, run: (values: FormValues) => Promise<void>): void {
  let busy = false;
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    clearInvalid(form);
    screen.error('');
    if (!checkFields(form, screen)) return;
    busy = true;
    setBusy(form, true);
    run(values(form))
      .catch((error: unknown) => {
        // A view that navigated away has no form in the page any more: the problem still shows.
        screen.problem(describeError(error, action), form.isConnected ? form : undefined);
      })
      .finally(() => {
        busy = false;
        setBusy(form, false);
      });
  });
}

export function input(form: HTMLFormElement, name: string): HTMLInputElement {
  const element = form.elements.namedItem(name);
  if (!(element instanceof HTMLInputElement)) throw new Error(`the form has no input named ${name}`);
  return element;
}

function values(form: HTMLFormElement): FormValues {
  const result: FormValues = {};
  for (const element of form.querySelectorAll('input')) {
    // Passwords are taken as typed; everything else without surrounding spaces.
    result[element.name] = element.type === 'password' ? element.value : element.value.trim();
  }
  return result;
}

function setBusy(form: HTMLFormElement, busy: boolean): void {
  form.setAttribute('aria-busy', String(busy));
  for (const button of form.querySelectorAll('button')) button.disabled = busy;
}

/** The browser's constraint validation, with messages in plain words under each field. */
function checkFields(form: HTMLFormElement, screen: Screen): boolean {
  const invalid = [...form.querySelectorAll('input')].filter((element) => !element.checkValidity());
  for (const element of invalid) markInvalid(element, fieldMessage(element));
  const first = invalid[0];
  if (!first) return true;
  screen.error(invalid.length === 1 ? fieldMessage(first) : 'Check the marked fields.');
  first.focus();
  return false;
}

function fieldMessage(element: HTMLInputElement): string {
  const label = element.labels?.[0]?.textContent?.trim() ?? element.name;
  const { validity } = element;
  if (validity.valueMissing) return `Enter your ${label.toLowerCase()}.`;
  if (validity.typeMismatch && element.type === 'email') return 'Enter a valid email address, like name@example.com.';
  if (validity.tooShort) return `${label} needs at least ${element.minLength} characters.`;
  if (validity.tooLong) return `${label} can have at most ${element.maxLength} characters.`;
  return element.validationMessage;
}

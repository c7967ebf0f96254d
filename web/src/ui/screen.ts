// The page around the views: the view container, the status and error live regions, focus, and
// per-field problems (aria-invalid, the message under the field, focus on the first one).
import type { Field, Problem } from '../messages.js';

export class Screen {
  private readonly view: HTMLElement;
  private readonly statusRegion: HTMLElement;
  private readonly errorRegion: HTMLElement;

  constructor(private readonly doc: Document) {
    this.view = required(doc.getElementById('view'), '#view');
    this.statusRegion = required(doc.getElementById('status'), '#status');
    this.errorRegion = required(doc.getElementById('error'), '#error');
  }

  /** Replaces the view with a copy of `<template id="view-<name>">`; moves focus to its heading. */
  show(name: string, options: { focus: boolean }): HTMLElement {
    const template = required(this.doc.getElementById(`view-${name}`), `#view-${name}`) as HTMLTemplateElement;
    this.view.replaceChildren(template.content.cloneNode(true));
    this.error('');
    const heading = this.view.querySelector<HTMLElement>('h1');
    if (heading) {
      this.doc.title = `${heading.textContent ?? ''} · Auth service`;
      if (options.focus) heading.focus();
    }
    return this.view;
  }

  status(text: string): void {
    this.statusRegion.textContent = text;
  }

  error(text: string): void {
    this.errorRegion.textContent = text;
  }

  /** Shows `problem`: in the error region, under its fields, with focus on the field at fault. */
  problem(problem: Problem, form?: HTMLFormElement): void {
    this.status('');
    this.error(problem.message);
    if (!form) return;
    const fields: Partial<Record<Field, string>> = { ...problem.fields };
    if (problem.field && !fields[problem.field]) fields[problem.field] = '';
    let first: HTMLInputElement | undefined;
    for (const [name, message] of Object.entries(fields)) {
      const input = form.elements.namedItem(name);
      if (!(input instanceof HTMLInputElement)) continue;
      markInvalid(input, message ?? '');
      if (!first || name === problem.field) first = input;
    }
    if (first) {
      first.focus();
      first.select();
    }
  }
}

export function markInvalid(input: HTMLInputElement, message: string): void {
  input.setAttribute('aria-invalid', 'true');
  const note = input.ownerDocument.getElementById(`${input.id}-error`);
  if (note && message) {
    note.textContent = message;
    note.hidden = false;
  }
}

export function clearInvalid(form: HTMLFormElement): void {
  for (const input of form.querySelectorAll('input')) {
    input.removeAttribute('aria-invalid');
    const note = input.ownerDocument.getElementById(`${input.id}-error`);
    if (note) {
      note.textContent = '';
      note.hidden = true;
    }
  }
}

export function required<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`the page has no ${what}`);
  return value;
}

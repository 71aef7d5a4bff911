/**
 * `data-kizuna-event="Name"` on any clickable element sends a custom event, with
 * `data-kizuna-prop-KEY="value"` attributes as its props (CONTRACT §2). No code needed.
 */
import type { Props, Signal } from '../types';
import { on } from '../lib/on';

const PREFIX = 'data-kizuna-prop-';

export const startCustomClicks: Signal = (emit) =>
  on<MouseEvent>(document, 'click', (e) => {
    const el = (e.target as Element).closest?.('[data-kizuna-event]');
    if (!el || el.closest('[data-kizuna-ignore]')) return;
    const props: Props = {};
    for (const a of Array.from(el.attributes)) if (a.name.startsWith(PREFIX)) props[a.name.slice(PREFIX.length)] = a.value;
    emit('custom', { name: el.getAttribute('data-kizuna-event')!, props });
  });

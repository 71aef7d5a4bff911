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
    // names, not el.attributes: reading those creates an Attr node per attribute
    for (const a of el.getAttributeNames()) if (a.startsWith(PREFIX)) props[a.slice(PREFIX.length)] = el.getAttribute(a)!;
    emit('custom', { name: el.getAttribute('data-kizuna-event')!, props });
  });

/**
 * `data-kizuna-event="Name"` on any clickable element sends a custom event, with
 * `data-kizuna-prop-KEY="value"` attributes as its props (CONTRACT §2). No code needed.
 */
import type { Props, Signal } from '../types';
import { onClick } from '../lib/click';

const PREFIX = 'data-kizuna-prop-';

export const startCustomClicks: Signal = (emit) =>
  onClick((_, el) => {
    const props: Props = {};
    // names, not el.attributes: reading those creates an Attr node per attribute
    for (const a of el.getAttributeNames()) if (a.startsWith(PREFIX)) props[a.slice(PREFIX.length)] = el.getAttribute(a)!;
    emit('custom', { name: el.getAttribute('data-kizuna-event')!, props });
  }, '[data-kizuna-event]');

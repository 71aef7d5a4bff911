import type { EventData, EventType, WireEvent } from '@kizuna/protocol';
import type { Config } from './config';

/** Queues one event; the SDK adds id, time (now, unless `ts` says when it happened), page URL and title. */
export type Emit = <T extends EventType>(type: T, data: EventData<T>, envelope?: Partial<Pick<WireEvent, 'url' | 'referrer' | 'ts'>>) => void;

/** A signal module: started from the config, returns the function that stops it. */
export type Signal = (emit: Emit, config: Config) => () => void;

/** Custom event properties: a flat object of string / number / boolean. */
export type Props = Record<string, string | number | boolean>;

// @vitest-environment happy-dom
import { expect, it } from 'vitest';
import { optionsFromScript, toConfig } from '../config';
import { loadChunk } from './chunk';

it("gives the scripts it adds the tag's CSP nonce", () => {
  const tag = document.createElement('script');
  tag.nonce = 'r4nd0m';
  tag.setAttribute('data-site', 'x');
  loadChunk(toConfig(optionsFromScript(tag), 'https://c.example'), 'kizuna.signals.js');
  const added = document.head.querySelector<HTMLScriptElement>('script[src="https://c.example/kizuna.signals.js"]')!;
  expect(added.nonce).toBe('r4nd0m');
});

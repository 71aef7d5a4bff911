/**
 * Loads one of the SDK's later scripts (`kizuna.<name>.js`) from the collector, asynchronously: the
 * page never waits for it. Each script hands itself to the first-load script through a global.
 */
export const loadChunk = (endpoint: string, name: string) => {
  const script = document.createElement('script');
  script.async = true;
  script.src = `${endpoint}/kizuna.${name}.js`;
  document.head.append(script);
};

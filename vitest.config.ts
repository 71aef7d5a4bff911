import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        // the rules both sides share (protocol/src/scrub.ts)
        test: { name: 'protocol', include: ['protocol/src/**/*.test.ts'], environment: 'node' },
      },
      {
        test: {
          name: 'sdk',
          include: ['sdk/src/**/*.test.ts'],
          environment: 'happy-dom',
          // the tracker adds <script> tags for its later chunks: happy-dom must not fetch them
          environmentOptions: {
            happyDOM: { settings: { disableJavaScriptFileLoading: true, handleDisabledFileLoadingAsSuccess: true } },
          },
        },
      },
      {
        test: {
          name: 'collector',
          include: ['collector/src/**/*.test.{ts,tsx}'],
          globalSetup: ['collector/src/testing/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          globalSetup: ['collector/src/testing/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
        },
      },
    ],
  },
});

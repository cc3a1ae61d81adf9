/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';

/**
 * The entry (app/main.tsx) starts the worker and then imports the app (app/boot.tsx). So the
 * browser fetches the app's chunks and CSS with the entry rather than after it, name them in
 * index.html: modulepreload for the chunks, a style preload for the CSS.
 */
function preloadApp(): Plugin {
  return {
    name: 'fracture-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const chunks = Object.values(ctx.bundle ?? {});
        const boot = chunks.find(
          (c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/app/boot.tsx'),
        );
        if (boot?.type !== 'chunk') return [];
        const entries = new Set(
          chunks.filter((c) => c.type === 'chunk' && c.isEntry).map((c) => c.fileName),
        );
        const files = [boot.fileName, ...boot.imports].filter((f) => !entries.has(f));
        const tags: HtmlTagDescriptor[] = files.map((f) => ({
          tag: 'link',
          attrs: { rel: 'modulepreload', crossorigin: true, href: `./${f}` },
          injectTo: 'head',
        }));
        for (const css of boot.viteMetadata?.importedCss ?? [])
          tags.push({
            tag: 'link',
            // A preload, not a stylesheet: a stylesheet in the head holds back the entry script.
            attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `./${css}` },
            injectTo: 'head',
          });
        return tags;
      },
    },
  };
}

/**
 * The Content-Security-Policy of the built app, as a <meta> first in the head. Only what the app
 * needs: its own scripts and workers; styles from its own CSS plus inline style attributes (React
 * and d3 set them); images from data: (the favicon, inlined assets) and blob: (the export
 * renders an SVG blob onto a canvas); media from blob: (the WebM export); connect-src https: and
 * http: because a #src= link fetches a scenario, and a #prom= link asks a Prometheus, at any
 * address the user gives (a <meta> policy is fixed at load and cannot name it later). No plugins, no
 * <base>, no form posts. Framing stays open on purpose (embeds in slide decks): a <meta> cannot
 * carry frame-ancestors anyway. Build only: the dev server's React refresh preamble is an inline
 * script.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "media-src 'self' blob:",
  "connect-src 'self' https: http:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'fracture-csp',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  plugins: [react(), preloadApp(), contentSecurityPolicy()],
  base: './',
  worker: { format: 'es' },
  optimizeDeps: { include: ['comlink', 'valibot', 'fflate'] },
  build: { target: 'es2022', sourcemap: false, chunkSizeWarningLimit: 400 },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  test: {
    include: ['src/**/*.test.ts', 'app/**/*.test.ts'],
    environment: 'node',
    // app/map/palette.ts reads the design tokens' text where there is no DOM (vitest stubs CSS).
    css: { include: [/\/app\/tokens\.css/] },
    pool: 'threads',
    testTimeout: 60_000,
  },
});

'use client';

import { useEffect, useRef } from 'react';
import { repairScalarAria } from './scalar-aria-repairs';
import { SCALAR_CUSTOM_CSS } from './scalar-custom-css';

type ScalarApp = { destroy: () => void };
type ScalarGlobal = { createApiReference: (el: HTMLElement, config: Record<string, unknown>) => ScalarApp };

/**
 * Scalar's standalone bundle, served from our origin (no CDN). The page's policy is nonce-based
 * with 'strict-dynamic': a script this (nonced) bundle inserts is trusted, so Scalar runs without
 * relaxing the CSP. Its fonts, telemetry, AI agent and request proxy are off: nothing leaves our origin.
 */
export function ApiReferenceClient({ scriptUrl }: { scriptUrl: string }) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let app: ScalarApp | undefined;
    // Scalar's search dialog is mounted outside the container (a modal layer on the body).
    const stopRepairs = repairScalarAria(document.body);
    let cancelled = false;
    const mount = () => {
      const scalar = (window as unknown as { Scalar?: ScalarGlobal }).Scalar;
      if (cancelled || !scalar || !container.current) return;
      const dark = window.matchMedia('(prefers-color-scheme: dark)').matches;
      app = scalar.createApiReference(container.current, {
        url: '/api/openapi.json',
        withDefaultFonts: false,
        telemetry: false,
        hideDarkModeToggle: true,
        forceDarkModeState: dark ? 'dark' : 'light',
        darkMode: dark,
        hideClientButton: true,
        showDeveloperTools: 'never',
        defaultHttpClient: { targetKey: 'shell', clientKey: 'curl' },
        persistAuth: false,
        // Its "Ask AI" agent talks to Scalar's servers.
        agent: { disabled: true },
        customCss: SCALAR_CUSTOM_CSS,
      });
    };
    const existing = document.querySelector<HTMLScriptElement>(`script[src="${scriptUrl}"]`);
    if (existing && (window as unknown as { Scalar?: ScalarGlobal }).Scalar) mount();
    else {
      const script = existing ?? document.createElement('script');
      script.addEventListener('load', mount, { once: true });
      if (!existing) {
        script.src = scriptUrl;
        document.body.append(script);
      }
    }
    return () => {
      cancelled = true;
      stopRepairs();
      app?.destroy();
    };
  }, [scriptUrl]);
  return <div ref={container} data-testid="api-reference" className="min-h-[60vh]" />;
}

/*
 * Fracture for reveal.js: a slide's fragments drive the steps of the Fracture embeds on it.
 * No dependencies; load it after reveal.js (or after any stepper that offers the same calls:
 * deck.on(name, fn) and deck.getCurrentSlide()) and register it:
 *
 *   Reveal.initialize({ plugins: [FractureReveal] });
 *
 * Mark-up, either way:
 *   <section data-fracture-steps="1,3,5">      step 1 on entry, 3 after the first fragment,
 *     <iframe src="./?embed=1#preset=..."></iframe>   5 after the second
 *     <p class="fragment">…</p> <p class="fragment">…</p>
 *   </section>
 *   <section data-fracture-step="1">            step 1 on entry, then the step of the last
 *     <p class="fragment" data-fracture-step="4">…</p>   shown fragment that names one
 *   </section>
 * An iframe may carry its own data-fracture-steps (two embeds with different timelines).
 * Embeds are iframes with data-fracture or with embed=1 in their src.
 *
 * Messages (the embed's postMessage API): it sends {type:"fracture:goto", step}; it listens for
 * {type:"fracture:ready"} to (re)send the step an embed missed while loading, and re-dispatches
 * {type:"fracture:stepchanged", step} as a "fracture:stepchanged" DOM event on the iframe.
 */
((global) => {
  function parseSteps(text) {
    if (!text) return null;
    const out = [];
    for (const part of String(text).split(',')) {
      const n = Number(part.trim());
      if (part.trim() !== '' && Number.isInteger(n) && n >= 0) out.push(n);
    }
    return out.length ? out : null;
  }

  function embedsOf(slide) {
    if (!slide) return [];
    return Array.from(slide.querySelectorAll('iframe')).filter(
      (f) => f.hasAttribute('data-fracture') || /[?&]embed=1\b/.test(f.getAttribute('src') || ''),
    );
  }

  function visibleFragments(slide) {
    return slide ? slide.querySelectorAll('.fragment.visible') : [];
  }

  /** The step an embed should show for the slide's current fragment state, or null. */
  function stepFor(slide, iframe) {
    const shown = visibleFragments(slide);
    const list =
      parseSteps(iframe.getAttribute('data-fracture-steps')) ||
      parseSteps(slide.getAttribute('data-fracture-steps'));
    if (list) return list[Math.min(shown.length, list.length - 1)];
    for (let i = shown.length - 1; i >= 0; i--) {
      const s = parseSteps(shown[i].getAttribute('data-fracture-step'));
      if (s) return s[0];
    }
    const first = parseSteps(slide.getAttribute('data-fracture-step'));
    return first ? first[0] : null;
  }

  function targetOrigin(iframe) {
    try {
      const origin = new URL(iframe.getAttribute('src') || '', global.location.href).origin;
      // file:// pages have an opaque origin, which postMessage cannot name.
      return origin && origin !== 'null' ? origin : '*';
    } catch (_e) {
      return '*';
    }
  }

  function fractureReveal() {
    const wanted = new Map();

    function send(iframe, step) {
      wanted.set(iframe, step);
      const w = iframe.contentWindow;
      if (w) w.postMessage({ type: 'fracture:goto', step: step }, targetOrigin(iframe));
    }

    function sync(slide) {
      for (const f of embedsOf(slide)) {
        const step = stepFor(slide, f);
        if (step !== null && step !== undefined) send(f, step);
      }
    }

    function onMessage(event) {
      const data = event.data;
      if (!data || typeof data !== 'object' || typeof data.type !== 'string') return;
      if (data.type !== 'fracture:ready' && data.type !== 'fracture:stepchanged') return;
      for (const f of document.querySelectorAll('iframe')) {
        if (f.contentWindow !== event.source) continue;
        if (data.type === 'fracture:ready' && wanted.has(f)) send(f, wanted.get(f));
        f.dispatchEvent(new CustomEvent(data.type, { detail: data }));
      }
    }

    return {
      id: 'fracture',
      init: (deck) => {
        global.addEventListener('message', onMessage);
        var current = () => {
          sync(deck.getCurrentSlide());
        };
        deck.on('ready', current);
        deck.on('slidechanged', current);
        deck.on('fragmentshown', current);
        deck.on('fragmenthidden', current);
        // Embeds on slides that are not shown yet still get their entry step once ready.
        for (const slide of document.querySelectorAll('section')) {
          for (const f of embedsOf(slide)) {
            const step = stepFor(slide, f);
            if (step !== null && step !== undefined) wanted.set(f, step);
          }
        }
        if (deck.getCurrentSlide()) current();
      },
    };
  }

  fractureReveal.stepFor = stepFor;
  fractureReveal.parseSteps = parseSteps;
  global.FractureReveal = fractureReveal;
})(typeof window !== 'undefined' ? window : globalThis);

/**
 * An animated export of a step range: each step drawn on a canvas recorded by MediaRecorder from
 * canvas.captureStream (WebM). Best effort: feature-detected, since not every browser records
 * canvases (Safari before 14.1, some headless builds).
 */
import { drawView, type ExportView } from './render';

export const MAX_VIDEO_STEPS = 600;

export function canRecordVideo(): boolean {
  return (
    typeof MediaRecorder !== 'undefined' &&
    typeof HTMLCanvasElement.prototype.captureStream === 'function' &&
    MediaRecorder.isTypeSupported('video/webm')
  );
}

const sleep = (ms: number) => new Promise((r) => window.setTimeout(r, ms));

/** Record steps [from, to] at `fps` steps per second; resolves with the WebM file. */
export async function recordSteps(
  base: Omit<ExportView, 'step'>,
  from: number,
  to: number,
  fps: number,
  onProgress: (done: number, total: number) => void,
): Promise<Blob> {
  const canvas = document.createElement('canvas');
  // Chromium composites (and so captures) only canvases in the document: keep it there, unseen.
  canvas.setAttribute('aria-hidden', 'true');
  canvas.style.cssText = 'position:fixed;left:-100000px;top:0;pointer-events:none';
  document.body.append(canvas);
  try {
    return await record(canvas, base, from, to, fps, onProgress);
  } finally {
    canvas.remove();
  }
}

async function record(
  canvas: HTMLCanvasElement,
  base: Omit<ExportView, 'step'>,
  from: number,
  to: number,
  fps: number,
  onProgress: (done: number, total: number) => void,
): Promise<Blob> {
  await drawView(canvas, { ...base, step: from });
  const stream = canvas.captureStream(fps);
  const type = MediaRecorder.isTypeSupported('video/webm;codecs=vp9')
    ? 'video/webm;codecs=vp9'
    : 'video/webm';
  const rec = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: 8_000_000 });
  const chunks: Blob[] = [];
  rec.ondataavailable = (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  };
  const stopped = new Promise<void>((r) => {
    rec.onstop = () => r();
  });
  rec.start(1000);
  const total = to - from + 1;
  const frameMs = 1000 / fps;
  for (let s = from; s <= to; s++) {
    const t0 = performance.now();
    await drawView(canvas, { ...base, step: s });
    onProgress(s - from + 1, total);
    await sleep(Math.max(0, frameMs - (performance.now() - t0)));
  }
  await sleep(frameMs);
  rec.stop();
  await stopped;
  for (const t of stream.getTracks()) t.stop();
  return new Blob(chunks, { type: 'video/webm' });
}

import { useEffect, useState } from 'react';
import type { BootSummary } from '../src/worker/protocol';
import { getEngine } from './engine-client';

export function App() {
  const [summary, setSummary] = useState<BootSummary | null>(null);
  useEffect(() => {
    void getEngine()
      .bootSummary(64 * 2 ** 30, true)
      .then(setSummary);
  }, []);
  return (
    <main>
      <h1>Fracture</h1>
      <section aria-label="Direct map counters">
        <pre>{summary ? summary.meminfoText : 'Booting…'}</pre>
      </section>
    </main>
  );
}

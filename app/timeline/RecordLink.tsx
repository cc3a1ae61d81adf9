/** "Record your host": the recorder, served with the app, and the one line that runs it. */
export const RECORD_COMMAND =
  'sh fracture-record.sh --duration 3600 --interval 10 --output host.frec';

export function RecordLink() {
  return (
    <p className="record-host">
      <a href="./fracture-record.sh" download="fracture-record.sh">
        Record your host
      </a>{' '}
      with fracture-record.sh (POSIX sh, no install, no root for the counters), then drop the file
      here: <code>{RECORD_COMMAND}</code>
    </p>
  );
}

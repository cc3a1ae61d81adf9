/**
 * Every caption of the scenario laid over the shown one, invisibly (the box stacks them in one
 * grid cell): the box is as tall as the tallest caption at its width, so what sits beside it —
 * the map — keeps its size from one captioned step to the next.
 */
export function CaptionSizers(props: {
  captions: readonly { step: number; text: string }[];
  /** The shown caption's text class (so the sizers wrap exactly as it does) and a hiding one. */
  className: string;
}) {
  return (
    <>
      {props.captions.map((c) => (
        <p key={c.step} className={props.className} aria-hidden="true">
          {c.text}
        </p>
      ))}
    </>
  );
}

// A failure or validation message, announced to screen readers, with a retry button when there is something to retry.
export function Problem({ text, retry, label }: { text: string; retry?: () => void; label?: string }) {
  return (
    <div class="problem">
      <p role="alert">{text}</p>
      {retry ? (
        <button type="button" onClick={retry}>
          {label}
        </button>
      ) : null}
    </div>
  );
}

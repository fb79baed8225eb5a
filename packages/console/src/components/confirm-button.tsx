import { useEffect, useRef, useState } from 'preact/hooks';

interface ConfirmButtonProps {
  /** The button's text, e.g. "Delete client". */
  readonly label: string;
  /** The question asked before acting, e.g. "Delete Demo SPA? Its refresh tokens are revoked." */
  readonly question: string;
  readonly confirmLabel?: string;
  readonly danger?: boolean;
  /** The button's accessible name when its text needs context, e.g. "Delete scope x" in a table row. */
  readonly name?: string;
  /** The compact size used inside table rows. */
  readonly small?: boolean;
  readonly onConfirm: () => void | Promise<void>;
}

/**
 * A destructive action asked twice, inline instead of a modal: the question takes the button's
 * place and receives focus, Cancel (or Escape) puts the focus back.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  danger = true,
  small = false,
  name,
  onConfirm,
}: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const questionRef = useRef<HTMLParagraphElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) questionRef.current?.focus();
    else if (wasAsking.current) buttonRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') setAsking(false);
  };

  if (!asking) {
    return (
      <button
        type="button"
        ref={buttonRef}
        aria-label={name}
        class={`${danger ? 'danger' : 'secondary'}${small ? ' small' : ''}`}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <div class="confirm">
      <p tabIndex={-1} ref={questionRef}>
        {question}
      </p>
      <button
        type="button"
        class={`${danger ? 'danger' : ''}${small ? ' small' : ''}`}
        disabled={busy}
        onKeyDown={cancelOnEscape}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {confirmLabel ?? label}
      </button>{' '}
      <button
        type="button"
        class={small ? 'secondary small' : 'secondary'}
        onKeyDown={cancelOnEscape}
        onClick={() => setAsking(false)}
      >
        Cancel
      </button>
    </div>
  );
}

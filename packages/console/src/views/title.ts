import { useEffect } from 'preact/hooks';

/** The document title names the view, so screen readers announce where a navigation landed. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Gatehouse console`;
  }, [title]);
}

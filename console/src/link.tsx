import type { ReactNode } from "react";
import { BASE, useApp } from "./app-context.ts";

/** An ordinary link (open in a new tab works) that navigates in place. */
export function Link(props: { to: string; children: ReactNode; className?: string }) {
  const { navigate } = useApp();
  return (
    <a
      href={`${BASE}${props.to}`}
      className={props.className}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}

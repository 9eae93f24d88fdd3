import { createContext, useContext } from "react";
import type { Session } from "./api.ts";
import type { Lang, T } from "./i18n.ts";

export interface AppContext {
  t: T;
  lang: Lang;
  session: Session;
  orgId: string;
  /** Whether the signed-in person's roles allow changes here (the API decides regardless). */
  canWrite: boolean;
  navigate: (path: string) => void;
}

export const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const c = useContext(Ctx);
  if (!c) throw new Error("outside the console");
  return c;
}

export const BASE = "/ui/console";

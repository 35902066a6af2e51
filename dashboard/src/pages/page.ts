/** What every page of the dashboard provides to the router. */
import type { IndexedBlock } from "../api.ts";

/** A mounted page: its element, built once, and an update that refills it from the indexer. */
export interface Page {
  /** Document title (after "Civitas · "). */
  title: string;
  element: HTMLElement;
  /** Loads the page's figures and fills them in; resolves with the block they were indexed at. */
  update(): Promise<IndexedBlock>;
}

/** Builds a page for a route's parameters (e.g. the agent id of `#/agents/7`). */
export type PageFactory = (params: string[]) => Page;

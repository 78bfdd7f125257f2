/** Row types of the journey tables (migration 0004). */

export interface JourneysTable {
  store_id: string;
  id: string;
  version: number;
  enabled: number;
  /** JSON */
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface JourneyVersionsTable {
  store_id: string;
  journey_id: string;
  version: number;
  definition: string;
  created_at: number;
}

export interface JourneyRunsTable {
  id: string;
  store_id: string;
  journey_id: string;
  version: number;
  contact_id: string;
  run_key: string;
  status: string;
  step_id: string | null;
  seq: number;
  due_at: number;
  lease_until: number | null;
  lease_owner: string | null;
  entered_at: number;
  trigger_event_id: string | null;
  trigger_at: number;
  order_id: string | null;
  /** JSON: the trigger event as steps see it */
  data: string;
  waiting_for: string | null;
  wait_started_at: number | null;
  exit_reason: string | null;
  /** JSON list of {at, note}: why things happened (fallbacks, skips) */
  notes: string;
  updated_at: number;
  ended_at: number | null;
}

export interface JourneyStepsTable {
  run_id: string;
  seq: number;
  store_id: string;
  journey_id: string;
  step_id: string;
  outcome: string;
  detail: string | null;
  message_id: string | null;
  at: number;
}

export interface JourneySettingsTable {
  store_id: string;
  settings: string;
  updated_at: number;
}

export interface JourneyTables {
  journeys: JourneysTable;
  journey_versions: JourneyVersionsTable;
  journey_runs: JourneyRunsTable;
  journey_steps: JourneyStepsTable;
  journey_settings: JourneySettingsTable;
}

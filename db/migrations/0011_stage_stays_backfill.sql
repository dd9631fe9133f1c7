-- Speed-report rollups for applications from before them: each finished stay from the event trail, and the first review and hire times.
INSERT INTO "application_stage_stays" ("application_id", "job_id", "stage", "applied_at", "entered_at", "left_at")
SELECT s.application_id, a.job_id, s.to_stage, a.created_at, s.created_at, s.left_at
FROM (
  SELECT e.application_id, e.to_stage, e.created_at, lead(e.created_at) OVER (PARTITION BY e.application_id ORDER BY e.id) AS left_at
  FROM "application_events" e WHERE e.to_stage IS NOT NULL
) s JOIN "applications" a ON a.id = s.application_id
WHERE s.left_at IS NOT NULL;
--> statement-breakpoint
UPDATE "applications" a SET
  "first_reviewed_at" = (SELECT min(e.created_at) FROM "application_events" e WHERE e.application_id = a.id AND e.kind = 'stage_changed' AND e.from_stage = 'applied'),
  "hired_at" = (SELECT min(e.created_at) FROM "application_events" e WHERE e.application_id = a.id AND e.to_stage = 'hired');

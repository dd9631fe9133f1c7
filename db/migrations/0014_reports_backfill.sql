-- Applications from before stage tracking: the furthest pipeline stage their events show, and when they entered the stage they are in.
UPDATE "applications" a SET
  "furthest_stage" = coalesce((
    SELECT s.stage FROM (VALUES ('applied', 0), ('screening', 1), ('interview', 2), ('offer', 3), ('hired', 4)) AS s(stage, r)
    WHERE s.stage = a.stage OR s.stage IN (SELECT e.to_stage FROM "application_events" e WHERE e.application_id = a.id)
    ORDER BY s.r DESC LIMIT 1), 'applied'),
  "stage_entered_at" = coalesce((
    SELECT max(e.created_at) FROM "application_events" e WHERE e.application_id = a.id AND e.to_stage = a.stage), a.updated_at);

--> statement-breakpoint
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

-- Applications from before stage tracking: the furthest pipeline stage their events show, and when they entered the stage they are in.
UPDATE "applications" a SET
  "furthest_stage" = coalesce((
    SELECT s.stage FROM (VALUES ('applied', 0), ('screening', 1), ('interview', 2), ('offer', 3), ('hired', 4)) AS s(stage, r)
    WHERE s.stage = a.stage OR s.stage IN (SELECT e.to_stage FROM "application_events" e WHERE e.application_id = a.id)
    ORDER BY s.r DESC LIMIT 1), 'applied'),
  "stage_entered_at" = coalesce((
    SELECT max(e.created_at) FROM "application_events" e WHERE e.application_id = a.id AND e.to_stage = a.stage), a.updated_at);

-- The description as the search engine indexes it, kept by PostgreSQL on every write (see jobs.search_excerpt).
-- Plain words from the opening 1,000 characters of the Markdown, at most 500 of them: fenced code and images go,
-- links keep their text, and markup characters and white space (JavaScript's \s set, Unicode spaces included)
-- become single spaces. The input is bounded, so a hostile description costs a write no more than any other.
CREATE OR REPLACE FUNCTION job_search_excerpt(md text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
  t text := left(md, 1000);
BEGIN
  IF strpos(t, '```') > 0 THEN
    t := regexp_replace(t, '```.*?```', ' ', 'g');
  END IF;
  IF strpos(t, '](') > 0 THEN
    t := regexp_replace(t, '!\[[^]]*\]\([^)]*\)', ' ', 'g');
    t := regexp_replace(t, '\[([^]]*)\]\([^)]*\)', '\1', 'g');
  END IF;
  t := btrim(regexp_replace(t, E'[-#>*_`~|\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+', ' ', 'g'), ' ');
  IF char_length(t) > 500 THEN
    t := left(t, 500) || '…';
  END IF;
  RETURN t;
END
$$;--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "search_excerpt" text GENERATED ALWAYS AS (job_search_excerpt(description_md)) STORED;

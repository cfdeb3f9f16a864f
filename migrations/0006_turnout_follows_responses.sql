-- Custom migration (drizzle-kit cannot express triggers).
-- Turnout follows the responses table by construction: storing a response
-- counts it, inside the same statement, so the submission batch needs no
-- separate turnout statement and the two can never disagree through the API.
-- tally:verify still recounts turnout from the stored responses.
CREATE TRIGGER `responses_count_turnout` AFTER INSERT ON `responses`
BEGIN
  INSERT INTO `turnout` (`instrument`, `rater_category`, `responses`)
  VALUES (NEW.`instrument`, NEW.`rater_category`, 1)
  ON CONFLICT (`instrument`, `rater_category`) DO UPDATE SET `responses` = `responses` + 1;
END;

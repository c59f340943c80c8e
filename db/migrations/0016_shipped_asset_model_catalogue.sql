-- The shipped global catalogue of asset models (organisation_id null): the common UK smart
-- chargers and home batteries, under the names partners send in asset_model. Operators add
-- their own models and correct these per organisation (an organisation's row with the same
-- name shadows the global one). Qualification flags are starting values to confirm.
INSERT INTO "asset_models" ("organisation_id", "name", "oem", "asset_type", "cop11_qualified", "smart_charge_regulation_compliant", "rated_power_kw") VALUES
  (NULL, 'axle_charger_v1', 'axle', 'charger', true, true, 7.4),
  (NULL, 'zappi', 'myenergi', 'charger', true, true, 7.0),
  (NULL, 'ohme_home_pro', 'ohme', 'charger', false, true, 7.4),
  (NULL, 'ohme_epod', 'ohme', 'charger', false, true, 7.4),
  (NULL, 'hypervolt_home_3_pro', 'hypervolt', 'charger', false, true, 7.4),
  (NULL, 'pod_point_solo_3', 'pod point', 'charger', false, true, 7.0),
  (NULL, 'wallbox_pulsar_plus', 'wallbox', 'charger', false, true, 7.4),
  (NULL, 'easee_one', 'easee', 'charger', false, true, 7.4),
  (NULL, 'andersen_a2', 'andersen', 'charger', false, true, 7.4),
  (NULL, 'eo_mini_pro_3', 'eo charging', 'charger', false, true, 7.4),
  (NULL, 'indra_smart_pro', 'indra', 'charger', false, true, 7.4),
  (NULL, 'givenergy_all_in_one', 'givenergy', 'battery', false, false, 6.0),
  (NULL, 'givenergy_giv_bat_9_5', 'givenergy', 'battery', false, false, 5.0),
  (NULL, 'foxess_ep11', 'foxess', 'battery', false, false, 5.0),
  (NULL, 'foxess_ecs4100', 'foxess', 'battery', false, false, 6.0),
  (NULL, 'sigenstor', 'sigenergy', 'battery', false, false, 6.0),
  (NULL, 'solis_s6_eh1p', 'solis', 'battery', false, false, 5.0),
  (NULL, 'tesla_powerwall_2', 'tesla', 'battery', false, false, 5.0),
  (NULL, 'tesla_powerwall_3', 'tesla', 'battery', false, false, 11.5),
  (NULL, 'powervault_p4', 'powervault', 'battery', false, false, 3.3)
ON CONFLICT (lower("name")) WHERE "organisation_id" IS NULL DO NOTHING;

#!/usr/bin/env bash
# Run once by the postgres image on an empty data folder: the platform's and Airflow's databases and users, with the
# passwords of env/postgres.env (never written anywhere else).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username postgres \
  -v dataops_pw="$DATAOPS_DB_PASSWORD" -v airflow_pw="$AIRFLOW_DB_PASSWORD" <<'SQL'
CREATE USER dataops PASSWORD :'dataops_pw';
CREATE DATABASE dataops OWNER dataops;
CREATE USER airflow PASSWORD :'airflow_pw';
CREATE DATABASE airflow OWNER airflow;
SQL

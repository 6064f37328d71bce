#ifndef CPOSTGRES_H
#define CPOSTGRES_H

/* PostgreSQL's client library, libpq, opened with dlopen on first use: the agent, and a hub on its
 * embedded SQLite file, never map libpq or the TLS library it links. The hub needs Debian's libpq5
 * only when `storage.postgres.url` is set. Every function but cew_pq_load wants it loaded. */

typedef struct cew_pg_conn cew_pg_conn;
typedef struct cew_pg_result cew_pg_result;

/* 0 when the library (path, or libpq.so.5 when NULL) and every needed symbol were found; -1
 * otherwise, with cew_pq_load_error() saying why. Loads once; later calls answer the same. */
int cew_pq_load(const char *path);
const char *cew_pq_load_error(void);
int cew_pq_library_version(void);

/* A connection from a conninfo string or a postgres:// URI (libpq's syntax, its environment
 * variables and its password file included), with edgewatch's defaults for what it leaves out
 * (application_name, a 10 s connect timeout, TCP keepalives and a 30 s TCP user timeout); NULL
 * only when out of memory. Notices are dropped, not printed. cew_pq_connection_ok tells whether
 * it is usable; cew_pq_error why not. */
cew_pg_conn *cew_pq_connect(const char *conninfo, const char *application_name);
int cew_pq_connection_ok(const cew_pg_conn *conn);
const char *cew_pq_error(const cew_pg_conn *conn);
void cew_pq_reset(cew_pg_conn *conn);
void cew_pq_finish(cew_pg_conn *conn);
int cew_pq_server_version(const cew_pg_conn *conn);
/* 0 idle, 1 busy, 2 in a transaction, 3 in a failed transaction, 4 unknown (connection lost). */
int cew_pq_transaction_status(const cew_pg_conn *conn);

/* PQexecParams: every value is a (format, length, bytes) triple; result_format 1 asks for binary
 * columns. NULL only when out of memory or the connection is gone. */
cew_pg_result *cew_pq_exec(cew_pg_conn *conn, const char *command, int count, const unsigned int *types,
                           const char *const *values, const int *lengths, const int *formats, int result_format);
/* PQprepare: `command` parsed once under `name` for this session (its parameters' types given). */
cew_pg_result *cew_pq_prepare(cew_pg_conn *conn, const char *name, const char *command, int count,
                               const unsigned int *types);
/* PQexecPrepared: the statement prepared as `name`, with values as for cew_pq_exec. */
cew_pg_result *cew_pq_exec_prepared(cew_pg_conn *conn, const char *name, int count, const char *const *values,
                                    const int *lengths, const int *formats, int result_format);
/* PQexec: several commands, no parameters, in one implicit transaction (text results). */
cew_pg_result *cew_pq_exec_script(cew_pg_conn *conn, const char *script);
/* PQsendQuery: sends the commands without waiting for their results; 1 when sent. */
int cew_pq_send_script(cew_pg_conn *conn, const char *script);
/* Whether this libpq has pipeline mode (libpq 14 and later): cew_pq_exec_begun works. */
int cew_pq_pipeline_supported(void);
/* `begin` (no parameters) and then one statement, sent together and answered in one round trip
 * (pipeline mode): `name` NULL runs `command` unnamed; with `prepare` 1, `command` is prepared as
 * `name` first; else the statement prepared as `name` runs. Returns the first failed result of
 * those, else the statement's; NULL when the pipeline could not be sent or ended (the connection's
 * error says why). */
cew_pg_result *cew_pq_exec_begun(cew_pg_conn *conn, const char *begin, const char *name, int prepare, const char *command,
                                 int count, const unsigned int *types, const char *const *values, const int *lengths,
                                 const int *formats, int result_format);
/* Waits for and drops every result of the commands sent last (PQgetResult until none is left). */
void cew_pq_discard_results(cew_pg_conn *conn);
/* 0 a command, 1 rows, 2 an error (cew_pq_result_field tells which), 3 anything else. */
int cew_pq_result_kind(const cew_pg_result *result);
/* A field of the error: 'C' the SQLSTATE, 'M' the message, 'D' the detail; NULL when absent. */
const char *cew_pq_result_field(const cew_pg_result *result, int code);
const char *cew_pq_result_error(const cew_pg_result *result);
int cew_pq_rows(const cew_pg_result *result);
int cew_pq_columns(const cew_pg_result *result);
unsigned int cew_pq_column_type(const cew_pg_result *result, int column);
const char *cew_pq_value(const cew_pg_result *result, int row, int column);
int cew_pq_length(const cew_pg_result *result, int row, int column);
int cew_pq_is_null(const cew_pg_result *result, int row, int column);
/* The row count of an INSERT, UPDATE or DELETE ("" for other commands). */
const char *cew_pq_affected(cew_pg_result *result);
void cew_pq_clear(cew_pg_result *result);

#endif

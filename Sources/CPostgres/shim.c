#include "CPostgres.h"

#include "CLibraryLoader.h"

#include <dlfcn.h>
#include <pthread.h>

/* libpq's own types, opaque here: no libpq-dev is needed to build. */
typedef void (*notice_processor)(void *, const char *);

/* The symbols are process-wide, set by cew_library_load and read only after a load that returned 0. */
static cew_pg_conn *(*p_connectdb_params)(const char *const *, const char *const *, int);
static int (*p_status)(const cew_pg_conn *);
static char *(*p_error_message)(const cew_pg_conn *);
static void (*p_reset)(cew_pg_conn *);
static void (*p_finish)(cew_pg_conn *);
static int (*p_server_version)(const cew_pg_conn *);
static int (*p_transaction_status)(const cew_pg_conn *);
static notice_processor (*p_set_notice_processor)(cew_pg_conn *, notice_processor, void *);
static cew_pg_result *(*p_exec_params)(cew_pg_conn *, const char *, int, const unsigned int *, const char *const *,
                                       const int *, const int *, int);
static cew_pg_result *(*p_exec)(cew_pg_conn *, const char *);
static int (*p_send_query)(cew_pg_conn *, const char *);
static cew_pg_result *(*p_get_result)(cew_pg_conn *);
static cew_pg_result *(*p_prepare)(cew_pg_conn *, const char *, const char *, int, const unsigned int *);
static cew_pg_result *(*p_exec_prepared)(cew_pg_conn *, const char *, int, const char *const *, const int *, const int *, int);
static int (*p_result_status)(const cew_pg_result *);
static char *(*p_result_error_field)(const cew_pg_result *, int);
static char *(*p_result_error_message)(const cew_pg_result *);
static int (*p_ntuples)(const cew_pg_result *);
static int (*p_nfields)(const cew_pg_result *);
static unsigned int (*p_ftype)(const cew_pg_result *, int);
static char *(*p_getvalue)(const cew_pg_result *, int, int);
static int (*p_getlength)(const cew_pg_result *, int, int);
static int (*p_getisnull)(const cew_pg_result *, int, int);
static char *(*p_cmd_tuples)(cew_pg_result *);
static void (*p_clear)(cew_pg_result *);
static int (*p_lib_version)(void);
/* Pipeline mode (libpq 14 and later), resolved apart: an older libpq still loads, without it. */
static int (*p_enter_pipeline_mode)(cew_pg_conn *);
static int (*p_exit_pipeline_mode)(cew_pg_conn *);
static int (*p_pipeline_sync)(cew_pg_conn *);
static int (*p_send_query_params)(cew_pg_conn *, const char *, int, const unsigned int *, const char *const *, const int *,
                                  const int *, int);
static int (*p_send_prepare)(cew_pg_conn *, const char *, const char *, int, const unsigned int *);
static int (*p_send_query_prepared)(cew_pg_conn *, const char *, int, const char *const *, const int *, const int *, int);

static cew_library libpq = CEW_LIBRARY_INIT;
static pthread_once_t pipeline_once = PTHREAD_ONCE_INIT;

static void load_pipeline(void) {
    void *const found[] = {dlsym(libpq.handle, "PQenterPipelineMode"), dlsym(libpq.handle, "PQexitPipelineMode"),
                           dlsym(libpq.handle, "PQpipelineSync"),      dlsym(libpq.handle, "PQsendQueryParams"),
                           dlsym(libpq.handle, "PQsendPrepare"),       dlsym(libpq.handle, "PQsendQueryPrepared")};
    for (size_t index = 0; index < sizeof found / sizeof found[0]; index++) {
        if (!found[index]) return;
    }
    p_exit_pipeline_mode = (int (*)(cew_pg_conn *))found[1];
    p_pipeline_sync = (int (*)(cew_pg_conn *))found[2];
    p_send_query_params = (int (*)(cew_pg_conn *, const char *, int, const unsigned int *, const char *const *,
                                   const int *, const int *, int))found[3];
    p_send_prepare = (int (*)(cew_pg_conn *, const char *, const char *, int, const unsigned int *))found[4];
    p_send_query_prepared =
        (int (*)(cew_pg_conn *, const char *, int, const char *const *, const int *, const int *, int))found[5];
    /* Callers see these through cew_pq_load's pthread_once, which orders them. */
    p_enter_pipeline_mode = (int (*)(cew_pg_conn *))found[0];
}

int cew_pq_load(const char *path) {
    /* The first caller's path wins: a process uses one libpq. */
    static const char *const names[] = {
        "PQconnectdbParams",
        "PQstatus",
        "PQerrorMessage",
        "PQreset",
        "PQfinish",
        "PQserverVersion",
        "PQtransactionStatus",
        "PQsetNoticeProcessor",
        "PQexecParams",
        "PQexec",
        "PQsendQuery",
        "PQgetResult",
        "PQprepare",
        "PQexecPrepared",
        "PQresultStatus",
        "PQresultErrorField",
        "PQresultErrorMessage",
        "PQntuples",
        "PQnfields",
        "PQftype",
        "PQgetvalue",
        "PQgetlength",
        "PQgetisnull",
        "PQcmdTuples",
        "PQclear",
        "PQlibVersion"};
    void **const targets[] = {
        (void **)&p_connectdb_params,
        (void **)&p_status,
        (void **)&p_error_message,
        (void **)&p_reset,
        (void **)&p_finish,
        (void **)&p_server_version,
        (void **)&p_transaction_status,
        (void **)&p_set_notice_processor,
        (void **)&p_exec_params,
        (void **)&p_exec,
        (void **)&p_send_query,
        (void **)&p_get_result,
        (void **)&p_prepare,
        (void **)&p_exec_prepared,
        (void **)&p_result_status,
        (void **)&p_result_error_field,
        (void **)&p_result_error_message,
        (void **)&p_ntuples,
        (void **)&p_nfields,
        (void **)&p_ftype,
        (void **)&p_getvalue,
        (void **)&p_getlength,
        (void **)&p_getisnull,
        (void **)&p_cmd_tuples,
        (void **)&p_clear,
        (void **)&p_lib_version};
    int loaded = cew_library_load(&libpq, path ? path : "libpq.so.5", sizeof names / sizeof names[0], names, targets);
    if (loaded == 0) pthread_once(&pipeline_once, load_pipeline);
    return loaded;
}

int cew_pq_pipeline_supported(void) { return p_enter_pipeline_mode != NULL; }

const char *cew_pq_load_error(void) { return libpq.error; }
int cew_pq_library_version(void) { return p_lib_version(); }

static void ignore_notice(void *context, const char *message) {
    (void)context;
    (void)message;
}

cew_pg_conn *cew_pq_connect(const char *conninfo, const char *application_name) {
    /* Defaults first, the caller's string last (expanded): what it names wins. A peer that stops
       answering is given up on after 30 s of unacknowledged data or 30 s + 3 x 10 s of silence,
       not the kernel's fifteen minutes. JIT is off for the session: the hub's statements run for
       milliseconds, and a fleet query's estimated cost (a subquery per batch block) passed the
       server's thresholds, compiling for 300-500 ms each of a prepared statement's first five runs. */
    const char *const keywords[] = {"application_name", "connect_timeout", "keepalives_idle", "keepalives_interval",
                                    "keepalives_count", "tcp_user_timeout", "options", "dbname", NULL};
    const char *const values[] = {application_name, "10", "30", "10", "3", "30000", "-c jit=off", conninfo, NULL};
    cew_pg_conn *conn = p_connectdb_params(keywords, values, 1);
    if (conn) p_set_notice_processor(conn, ignore_notice, NULL);
    return conn;
}

int cew_pq_connection_ok(const cew_pg_conn *conn) { return p_status(conn) == 0; }
const char *cew_pq_error(const cew_pg_conn *conn) { return p_error_message(conn); }
void cew_pq_reset(cew_pg_conn *conn) { p_reset(conn); }
void cew_pq_finish(cew_pg_conn *conn) { p_finish(conn); }
int cew_pq_server_version(const cew_pg_conn *conn) { return p_server_version(conn); }
int cew_pq_transaction_status(const cew_pg_conn *conn) { return p_transaction_status(conn); }

cew_pg_result *cew_pq_exec(cew_pg_conn *conn, const char *command, int count, const unsigned int *types,
                           const char *const *values, const int *lengths, const int *formats, int result_format) {
    return p_exec_params(conn, command, count, types, values, lengths, formats, result_format);
}

cew_pg_result *cew_pq_prepare(cew_pg_conn *conn, const char *name, const char *command, int count,
                               const unsigned int *types) {
    return p_prepare(conn, name, command, count, types);
}

cew_pg_result *cew_pq_exec_prepared(cew_pg_conn *conn, const char *name, int count, const char *const *values,
                                    const int *lengths, const int *formats, int result_format) {
    return p_exec_prepared(conn, name, count, values, lengths, formats, result_format);
}

cew_pg_result *cew_pq_exec_script(cew_pg_conn *conn, const char *script) { return p_exec(conn, script); }

int cew_pq_send_script(cew_pg_conn *conn, const char *script) { return p_send_query(conn, script); }

/* The results of one query of a pipeline, up to the NULL that ends them: the first failed one
   (or an aborted-pipeline one) is kept in *failed, the last good one in *answer; others cleared. */
static void take_results(cew_pg_conn *conn, cew_pg_result **failed, cew_pg_result **answer) {
    cew_pg_result *result;
    while ((result = p_get_result(conn)) != NULL) {
        int status = p_result_status(result);
        if (status == 1 || status == 2) { /* PGRES_COMMAND_OK, PGRES_TUPLES_OK */
            if (*answer) p_clear(*answer);
            *answer = result;
        } else if (!*failed) {
            *failed = result;
        } else {
            p_clear(result);
        }
    }
}

cew_pg_result *cew_pq_exec_begun(cew_pg_conn *conn, const char *begin, const char *name, int prepare, const char *command,
                                 int count, const unsigned int *types, const char *const *values, const int *lengths,
                                 const int *formats, int result_format) {
    if (!p_enter_pipeline_mode || !p_enter_pipeline_mode(conn)) return NULL;
    int queries = 1;
    int sent = p_send_query_params(conn, begin, 0, NULL, NULL, NULL, NULL, 0);
    if (sent && name && prepare) {
        sent = p_send_prepare(conn, name, command, count, types);
        queries++;
    }
    if (sent) {
        sent = name ? p_send_query_prepared(conn, name, count, values, lengths, formats, result_format)
                    : p_send_query_params(conn, command, count, types, values, lengths, formats, result_format);
        queries++;
    }
    if (!sent || !p_pipeline_sync(conn)) {
        /* Not all sent: the connection is broken; a reconnect leaves pipeline mode. */
        p_exit_pipeline_mode(conn);
        return NULL;
    }
    cew_pg_result *failed = NULL, *answer = NULL, *sync;
    for (int query = 0; query < queries; query++) take_results(conn, &failed, &answer);
    /* The pipeline's end (PGRES_PIPELINE_SYNC); none when the connection was lost. */
    if ((sync = p_get_result(conn)) != NULL) p_clear(sync);
    if (!p_exit_pipeline_mode(conn) && !failed) {
        if (answer) p_clear(answer);
        return NULL;
    }
    if (failed) {
        if (answer) p_clear(answer);
        return failed;
    }
    return answer;
}

void cew_pq_discard_results(cew_pg_conn *conn) {
    cew_pg_result *result;
    while ((result = p_get_result(conn)) != NULL) p_clear(result);
}

int cew_pq_result_kind(const cew_pg_result *result) {
    switch (p_result_status(result)) {
    case 0: /* PGRES_EMPTY_QUERY */
    case 1: /* PGRES_COMMAND_OK */
        return 0;
    case 2: /* PGRES_TUPLES_OK */
        return 1;
    case 5: /* PGRES_BAD_RESPONSE */
    case 6: /* PGRES_NONFATAL_ERROR */
    case 7: /* PGRES_FATAL_ERROR */
        return 2;
    default:
        return 3;
    }
}

const char *cew_pq_result_field(const cew_pg_result *result, int code) { return p_result_error_field(result, code); }
const char *cew_pq_result_error(const cew_pg_result *result) { return p_result_error_message(result); }
int cew_pq_rows(const cew_pg_result *result) { return p_ntuples(result); }
int cew_pq_columns(const cew_pg_result *result) { return p_nfields(result); }
unsigned int cew_pq_column_type(const cew_pg_result *result, int column) { return p_ftype(result, column); }
const char *cew_pq_value(const cew_pg_result *result, int row, int column) { return p_getvalue(result, row, column); }
int cew_pq_length(const cew_pg_result *result, int row, int column) { return p_getlength(result, row, column); }
int cew_pq_is_null(const cew_pg_result *result, int row, int column) { return p_getisnull(result, row, column); }
const char *cew_pq_affected(cew_pg_result *result) { return p_cmd_tuples(result); }
void cew_pq_clear(cew_pg_result *result) { p_clear(result); }

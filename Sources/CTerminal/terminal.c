#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include "cterminal.h"
#include <locale.h>
#include <ncursesw/curses.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>
#include <stdlib.h>

/* Set by the handler, read by the drawing thread: the signal may arrive on any thread of the
   process (NIO's, the pool's), so a lock-free atomic, not a volatile sig_atomic_t, which only
   orders accesses within one thread (ThreadSanitizer reported it as a race). */
static atomic_int caught = 0;
static int started = 0;
static int colors = 0;

static void on_signal(int number) { atomic_store(&caught, number); }

void cew_term_catch_signals(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
}

int cew_term_caught_signal(void) { return atomic_load(&caught); }

int cew_term_start(int color) {
    if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) return -1;
    setlocale(LC_ALL, "");
    if (initscr() == NULL) return -1;
    started = 1;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);
    colors = color && has_colors();
    if (colors) {
        start_color();
        use_default_colors();
        init_pair(1, COLOR_GREEN, -1);
        init_pair(2, COLOR_YELLOW, -1);
        init_pair(3, COLOR_RED, -1);
        init_pair(4, COLOR_CYAN, -1);
    }
    return 0;
}

void cew_term_stop(void) {
    if (!started) return;
    started = 0;
    curs_set(1);
    endwin();
}

void cew_term_size(int *columns, int *rows) {
    *columns = COLS;
    *rows = LINES;
}

void cew_term_clear(void) { erase(); }

static attr_t attributes(int style) {
    switch (style) {
    case CEW_STYLE_BOLD: return A_BOLD;
    case CEW_STYLE_DIM: return A_DIM;
    case CEW_STYLE_REVERSE: return A_REVERSE;
    case CEW_STYLE_GOOD: return colors ? COLOR_PAIR(1) : A_NORMAL;
    case CEW_STYLE_WARN: return colors ? COLOR_PAIR(2) | A_BOLD : A_BOLD;
    case CEW_STYLE_BAD: return colors ? COLOR_PAIR(3) | A_BOLD : A_BOLD | A_UNDERLINE;
    case CEW_STYLE_HEADER: return colors ? COLOR_PAIR(4) | A_BOLD : A_BOLD;
    default: return A_NORMAL;
    }
}

void cew_term_draw(int row, int column, const char *text, int style) {
    if (row < 0 || row >= LINES || column < 0 || column >= COLS) return;
    size_t length = strlen(text);
    wchar_t *wide = malloc((length + 1) * sizeof(wchar_t));
    if (wide == NULL) return;
    size_t count = mbstowcs(wide, text, length + 1);
    if (count == (size_t)-1) {
        free(wide);
        return;
    }
    int room = COLS - column;
    attr_t attribute = attributes(style);
    attron(attribute);
    mvaddnwstr(row, column, wide, (int)count < room ? (int)count : room);
    attroff(attribute);
    free(wide);
}

void cew_term_refresh(void) { refresh(); }

int cew_term_key(int timeout_ms) {
    timeout(timeout_ms);
    wint_t key;
    int kind = get_wch(&key);
    if (kind == ERR) return CEW_KEY_NONE;
    if (kind == KEY_CODE_YES) {
        switch (key) {
        case KEY_UP: return CEW_KEY_UP;
        case KEY_DOWN: return CEW_KEY_DOWN;
        case KEY_LEFT: return CEW_KEY_LEFT;
        case KEY_RIGHT: return CEW_KEY_RIGHT;
        case KEY_BTAB: return CEW_KEY_BACKTAB;
        case KEY_RESIZE: return CEW_KEY_RESIZE;
        case KEY_ENTER: return CEW_KEY_ENTER;
        case KEY_BACKSPACE: return CEW_KEY_BACKSPACE;
        case KEY_PPAGE: return CEW_KEY_PAGE_UP;
        case KEY_NPAGE: return CEW_KEY_PAGE_DOWN;
        default: return CEW_KEY_NONE;
        }
    }
    if (key == '\r' || key == '\n') return CEW_KEY_ENTER;
    if (key == 127 || key == 8) return CEW_KEY_BACKSPACE;
    return (int)key;
}

/* bench-ui.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "waybill-order-list-model.h"
#include "waybill-store.h"
#include "waybill-window.h"

/* The window with a big database, under Xvfb.  Modes:
 *   bench-ui first-frame DB_PATH   prints the ms from start to the first frame,
 *                                  and the ms of CPU time used until then
 *   bench-ui interactive DB_PATH   prints ui.search_keystroke and ui.rss
 *   bench-ui search DB_PATH        only the search keystrokes (quicker)
 * build-aux/run-benchmarks.sh runs them and computes the ratios. */

static gint64 start_time;
static gboolean drawn;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  if (!drawn)
    {
      drawn = TRUE;
      struct rusage usage;

      /* Wall time, and the CPU time this process used: the second counts
       * less of what other programs on a shared machine do meanwhile. */
      getrusage (RUSAGE_SELF, &usage);
      printf ("%.1f %.1f\n", (g_get_monotonic_time () - start_time) / 1000.0,
              (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
              (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0);
      fflush (stdout);
    }
}

static void
iterate_until (gboolean *flag,
               guint     timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!*flag && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

static void
iterate_pending (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static WaybillWindow *
open_window (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaybillStore) store = waybill_store_open (path, &error);
  WaybillWindow *window;

  if (store == NULL)
    g_error ("%s", error->message);

  window = waybill_window_new (NULL, store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 800);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

static int
first_frame (const char *path)
{
  WaybillWindow *window = open_window (path);
  GdkFrameClock *clock;

  gtk_widget_realize (GTK_WIDGET (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
  iterate_until (&drawn, 10000);

  return drawn ? 0 : 1;
}

static long
peak_rss_kb (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmHWM:");

  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gboolean frame_done;

static void
frame_cb (GdkFrameClock *clock,
          gpointer       user_data)
{
  frame_done = TRUE;
}

/* Waits for the next frame after a change, as a person sees it. */
static void
wait_frame (GtkWidget *widget)
{
  frame_done = FALSE;
  gtk_widget_queue_draw (widget);
  iterate_until (&frame_done, 2000);
}

/* The ms of each keystroke until the list model held the results (the
 * rows on screen are made then too); the rest is the frame. */
static GArray *model_times;
/* The ms of CPU time each keystroke used: less of what other programs on
 * a shared machine do meanwhile. */
static GArray *cpu_times;

static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

/* Lets the window sit idle for @ms, as between two keys a person types. */
static void
idle_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      iterate_pending ();
      g_usleep (1000);
    }
}

/* Types @text into the search field; returns the ms until the frame that
 * shows the list with its results. */
static double
search_key (WaybillWindow *window,
            GtkWidget     *entry,
            GListModel    *orders,
            const char    *text)
{
  gint64 start;
  double model_ms, cpu;

  /* GtkSearchEntry reports a change 150 ms after the last key, so the
   * window is idle when a search starts.  A key right after the last
   * frame would instead wait for the frame clock, which starts a frame at
   * most once per refresh interval (16.7 ms at 60 Hz): that wait is the
   * pace of this loop, not work. */
  idle_for (50);
  start = g_get_monotonic_time ();
  cpu = cpu_ms ();

  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  g_signal_emit_by_name (entry, "search-changed");
  /* Until the list holds the results, then the frame that shows them. */
  while (g_strcmp0 (waybill_order_list_model_get_search (WAYBILL_ORDER_LIST_MODEL (orders)), text) != 0)
    g_main_context_iteration (NULL, TRUE);
  model_ms = (g_get_monotonic_time () - start) / 1000.0;
  g_array_append_val (model_times, model_ms);
  wait_frame (GTK_WIDGET (window));
  cpu = cpu_ms () - cpu;
  g_array_append_val (cpu_times, cpu);

  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
interactive (const char *path,
             gboolean    scroll)
{
  static const char * const queries[] = {
    "anna", "mül", "1Z", "94001", "RR", "grace", "1042", "example.com", "zo", "patel",
    "RB1", "tanaka", "7", "jonas q", "lind", "chen", "45", "evans", "noah", "wen",
  };
  WaybillWindow *window = open_window (path);
  GtkWidget *entry;
  GListModel *orders;
  GtkScrolledWindow *scroller = NULL;
  GtkAdjustment *adjustment;
  GdkFrameClock *clock;
  double times[G_N_ELEMENTS (queries)];

  model_times = g_array_new (FALSE, FALSE, sizeof (double));
  cpu_times = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_widget_realize (GTK_WIDGET (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (frame_cb), NULL);
  wait_frame (GTK_WIDGET (window));

  entry = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), WAYBILL_TYPE_WINDOW, "search_entry"));
  orders = waybill_window_get_orders (window);

  /* A key in the search field: the text changes, the list reloads and the
   * next frame shows it.  GtkSearchEntry's own typing delay is left out:
   * it is a choice, not work.  First texts that share nothing (every row
   * changes), then words typed a letter at a time. */
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    times[i] = search_key (window, entry, orders, queries[i]);
  qsort (times, G_N_ELEMENTS (times), sizeof (double), compare_double);
  printf ("ui.search_keystroke %.2f ms limit=16\n", times[G_N_ELEMENTS (times) / 2]);
  printf ("ui.search_keystroke_worst %.2f ms\n", times[G_N_ELEMENTS (times) - 1]);

  {
    static const char * const words[] = { "patel", "grace", "müller", "example.com", "94001" };
    g_autoptr(GArray) typed = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint w = 0; w < G_N_ELEMENTS (words); w++)
      for (const char *end = g_utf8_next_char (words[w]); ; end = g_utf8_next_char (end))
        {
          g_autofree char *text = g_strndup (words[w], end - words[w]);
          double t = search_key (window, entry, orders, text);

          g_array_append_val (typed, t);
          if (*end == '\0')
            break;
        }
    qsort (typed->data, typed->len, sizeof (double), compare_double);
    printf ("ui.search_typing %.2f ms limit=16\n", g_array_index (typed, double, typed->len / 2));
  }

  /* Of every keystroke above: the part until the model had the results. */
  qsort (model_times->data, model_times->len, sizeof (double), compare_double);
  printf ("ui.search_keystroke_model %.2f ms\n", g_array_index (model_times, double, model_times->len / 2));
  g_array_unref (model_times);
  qsort (cpu_times->data, cpu_times->len, sizeof (double), compare_double);
  printf ("ui.search_keystroke_cpu %.2f ms\n", g_array_index (cpu_times, double, cpu_times->len / 2));
  g_array_unref (cpu_times);

  if (!scroll)
    {
      gtk_window_destroy (GTK_WINDOW (window));
      iterate_pending ();
      return 0;
    }

  gtk_editable_set_text (GTK_EDITABLE (entry), "");
  g_signal_emit_by_name (entry, "search-changed");
  wait_frame (GTK_WIDGET (window));

  /* The list view is given the rows a few at a time after each frame:
   * wait until it has them all. */
  {
    GtkListView *list = GTK_LIST_VIEW (gtk_widget_get_template_child (GTK_WIDGET (window), WAYBILL_TYPE_WINDOW,
                                                                      "order_list"));
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (list))) <
           g_list_model_get_n_items (orders) && g_get_monotonic_time () < end)
      {
        wait_frame (GTK_WIDGET (window));
        iterate_pending ();
      }
  }

  /* Scroll the whole list, a screenful at a time. */
  for (GtkWidget *w = gtk_widget_get_parent (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                        WAYBILL_TYPE_WINDOW,
                                                                                        "order_list")));
       w != NULL; w = gtk_widget_get_parent (w))
    if (GTK_IS_SCROLLED_WINDOW (w))
      {
        scroller = GTK_SCROLLED_WINDOW (w);
        break;
      }
  g_assert (scroller != NULL);
  adjustment = gtk_scrolled_window_get_vadjustment (scroller);

  {
    gint64 start = g_get_monotonic_time ();
    guint steps = 0;

    while (gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) <
           gtk_adjustment_get_upper (adjustment) - 1)
      {
        gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                                  gtk_adjustment_get_page_size (adjustment) * 8);
        wait_frame (GTK_WIDGET (window));
        iterate_pending ();
        steps++;
      }

    printf ("ui.scroll_all %.1f s steps=%u rows=%u\n", (g_get_monotonic_time () - start) / 1e6, steps,
            g_list_model_get_n_items (orders));
  }

  printf ("ui.rss %.1f MB limit=150\n", peak_rss_kb () / 1024.0);

  gtk_window_destroy (GTK_WINDOW (window));
  iterate_pending ();

  return 0;
}

int
main (int   argc,
      char *argv[])
{
  start_time = g_get_monotonic_time ();

  if (argc != 3)
    {
      fprintf (stderr, "usage: %s first-frame|interactive|search DATABASE\n", argv[0]);
      return 2;
    }

  gtk_init ();
  adw_init ();

  if (g_str_equal (argv[1], "first-frame"))
    return first_frame (argv[2]);
  if (g_str_equal (argv[1], "interactive"))
    return interactive (argv[2], TRUE);
  if (g_str_equal (argv[1], "search"))
    return interactive (argv[2], FALSE);

  return 2;
}

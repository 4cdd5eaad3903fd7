/* test-translation.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "ui-util.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <libnotify/notify.h>
#include <locale.h>
#include <signal.h>

#include "waybill-demo.h"
#include "waybill-feedback.h"
#include "waybill-feedback-window.h"
#include "waybill-format.h"
#include "waybill-insights-window.h"
#include "waybill-notifier.h"
#include "waybill-order-editor.h"
#include "waybill-preferences-window.h"
#include "waybill-status-change.h"
#include "waybill-status-reply.h"
#include "waybill-store.h"
#include "waybill-window.h"
#include "test-util.h"

/* Waybill in German, from the catalogue the build made of po/de.po: the
 * window, its dates and a notification, as a German user sees them.
 *
 * The messages come from LANGUAGE=de alone: the rest of the locale is
 * C.UTF-8, which glibc (unlike plain "C") does not treat as a reason to
 * ignore LANGUAGE.  Dates follow LC_TIME, as in every GNOME app: it is
 * de_DE.UTF-8, generated with localedef into a private LOCPATH when the
 * system has not generated it (that needs the "locales" package's
 * sources, not root).
 *
 * Besides the German it expects, every test looks for text that is an
 * English message of Waybill's catalogue shown as it is: a string marked
 * for translation but never translated at runtime. */

#define NOTIFY_NAME  "org.freedesktop.Notifications"
#define NOTIFY_PATH  "/org/freedesktop/Notifications"
#define NOTIFY_IFACE "org.freedesktop.Notifications"
#define MOCK_IFACE   "org.freedesktop.DBus.Mock"

#define GERMAN_TIME_LOCALE "de_DE.UTF-8"

/* A short German date and time, "Do, 3. Dez, 14:05": the weekday and month
 * names of glibc's de_DE, in the format of the German catalogue. */
#define GERMAN_DATE_TIME \
  "(Mo|Di|Mi|Do|Fr|Sa|So), [0-9]{1,2}\\. (Jan|Feb|Mär|Apr|Mai|Jun|Jul|Aug|Sep|Okt|Nov|Dez), [0-9]{2}:[0-9]{2}"
#define ENGLISH_DAY "\\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) [0-9]{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\\b"

/* Set up in main(), before GTK reads the locale. */
static char *private_locale_dir;
static char *locale_problem;
/* Kept to the end: libadwaita and libsecret never let go of the bus. */
static GTestDBus *test_bus;

typedef struct
{
  char          *dir;
  char          *path;
  WaybillStore  *store;
  WaybillWindow *window;
} Fixture;

/* Locale */

/* German dates need a German LC_TIME.  Without one on the system, make
 * one from glibc's sources into a directory of our own: localedef needs
 * no root for that, only /usr/share/i18n (Debian's "locales" package). */
static void
set_up_german_time (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  if (setlocale (LC_TIME, GERMAN_TIME_LOCALE) != NULL)
    return;

  private_locale_dir = g_dir_make_tmp ("waybill-locale-XXXXXX", &error);
  g_assert_no_error (error);
  target = g_build_filename (private_locale_dir, GERMAN_TIME_LOCALE, NULL);
  {
    const char *argv[] = { "localedef", "--no-archive", "-i", "de_DE", "-f", "UTF-8", target, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                       NULL, NULL, NULL, &err, &status, &error) ||
        !g_spawn_check_wait_status (status, &error))
      {
        locale_problem = g_strdup_printf ("could not generate the %s locale with localedef "
                                          "(install Debian's “locales” package): %s%s%s",
                                          GERMAN_TIME_LOCALE, error->message,
                                          err != NULL && *err != '\0' ? "\n" : "", err != NULL ? err : "");
        return;
      }
  }

  g_setenv ("LOCPATH", private_locale_dir, TRUE);
  if (setlocale (LC_TIME, GERMAN_TIME_LOCALE) == NULL)
    locale_problem = g_strdup_printf ("glibc does not load the %s locale made in %s",
                                      GERMAN_TIME_LOCALE, private_locale_dir);
}

static void
set_up_german (void)
{
  static const char *categories[] = {
    "LC_ALL", "LC_MESSAGES", "LC_CTYPE", "LC_NUMERIC", "LC_COLLATE", "LC_MONETARY",
    "LC_PAPER", "LC_NAME", "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION",
  };

  for (guint i = 0; i < G_N_ELEMENTS (categories); i++)
    g_unsetenv (categories[i]);
  g_setenv ("LANG", "C.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "de", TRUE);
  g_setenv ("TZ", "UTC", TRUE);

  set_up_german_time ();
  if (locale_problem == NULL)
    g_setenv ("LC_TIME", GERMAN_TIME_LOCALE, TRUE);
  /* As main.c does; gtk_test_init() leaves the locale alone. */
  setlocale (LC_ALL, "");

  /* The catalogue meson built from po/de.po, not an installed one. */
  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/* Reading the screen */

/* An English message of Waybill that has a German translation: on the
 * screen it means a string was not translated. */
static gboolean
is_untranslated (const char *text)
{
  const char *translated;

  if (text == NULL || *text == '\0')
    return FALSE;

  translated = g_dgettext (GETTEXT_PACKAGE, text);

  return translated != text && g_strcmp0 (translated, text) != 0;
}

static void
check_menu (GMenuModel *model,
            GPtrArray  *untranslated)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuLinkIter) links = NULL;
      char *label = NULL;

      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        {
          if (is_untranslated (label))
            g_ptr_array_add (untranslated, label);
          else
            g_free (label);
        }

      links = g_menu_model_iterate_item_links (model, i);
      while (g_menu_link_iter_next (links))
        {
          g_autoptr(GMenuModel) link = g_menu_link_iter_get_value (links);

          check_menu (link, untranslated);
        }
    }
}

static void
check_strings (GListModel *model,
               GPtrArray  *untranslated)
{
  if (!GTK_IS_STRING_LIST (model))
    return;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      const char *text = gtk_string_list_get_string (GTK_STRING_LIST (model), i);

      if (is_untranslated (text))
        g_ptr_array_add (untranslated, g_strdup (text));
    }
}

/* Labels, tooltips, placeholders, menus and drop-down items of @widget and
 * all below it, shown or not yet shown. */
static void
collect_untranslated (GtkWidget *widget,
                      GPtrArray *untranslated)
{
  const char *texts[3] = { NULL, NULL, NULL };

  if (GTK_IS_LABEL (widget))
    texts[0] = gtk_label_get_label (GTK_LABEL (widget));
  texts[1] = gtk_widget_get_tooltip_text (widget);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (widget), "placeholder-text") != NULL)
    {
      g_autofree char *placeholder = NULL;

      g_object_get (widget, "placeholder-text", &placeholder, NULL);
      if (is_untranslated (placeholder))
        g_ptr_array_add (untranslated, g_steal_pointer (&placeholder));
    }

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (is_untranslated (texts[i]))
      g_ptr_array_add (untranslated, g_strdup (texts[i]));

  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL)
    check_menu (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)), untranslated);
  if (GTK_IS_DROP_DOWN (widget) && gtk_drop_down_get_model (GTK_DROP_DOWN (widget)) != NULL)
    check_strings (gtk_drop_down_get_model (GTK_DROP_DOWN (widget)), untranslated);

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_untranslated (child, untranslated);
}

/* @data: (nullable): texts on screen that are data, not Waybill's words,
 *   such as what a carrier wrote about a parcel ("Out for delivery") */
static void
assert_all_translated (GtkWidget          *widget,
                       const char * const *data)
{
  g_autoptr(GPtrArray) untranslated = g_ptr_array_new_with_free_func (g_free);
  guint n = 0;

  collect_untranslated (widget, untranslated);
  for (guint i = 0; i < untranslated->len; i++)
    {
      const char *text = g_ptr_array_index (untranslated, i);

      if (data != NULL && g_strv_contains (data, text))
        continue;
      g_test_message ("Shown in English in %s: “%s” (German: “%s”)", G_OBJECT_TYPE_NAME (widget),
                      text, g_dgettext (GETTEXT_PACKAGE, text));
      n++;
    }
  g_assert_cmpuint (n, ==, 0);
}

/* Labels under @widget that run out of a widget they sit in (their own
 * place, a button, a bar): GTK draws them anyway, over what is next to
 * them.  German words are long. */
static void
collect_overflowing (GtkWidget *widget,
                     GPtrArray *found)
{
  if (!gtk_widget_get_mapped (widget))
    return;

  /* The names of the pages in a view switcher bar are cut short when they
   * do not fit, and touch their neighbours when they only just fit. */
  if (GTK_IS_LABEL (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_VIEW_SWITCHER_BAR) != NULL)
    {
      GtkWidget *button = widget;
      graphene_rect_t bounds;
      int natural;

      while (button != NULL && !g_str_equal (G_OBJECT_TYPE_NAME (button), "AdwViewSwitcherButton"))
        button = gtk_widget_get_parent (button);
      g_assert_nonnull (button);
      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      g_assert_true (gtk_widget_compute_bounds (widget, button, &bounds));
      if (natural > gtk_widget_get_width (widget) ||
          bounds.origin.x + (bounds.size.width - natural) / 2 < 6 ||
          bounds.origin.x + (bounds.size.width + natural) / 2 > gtk_widget_get_width (button) - 6)
        g_ptr_array_add (found, g_strdup_printf ("“%s” (%d px) in a page switcher button %d px wide",
                                                 gtk_label_get_text (GTK_LABEL (widget)), natural,
                                                 gtk_widget_get_width (button)));
      return;
    }

  if (GTK_IS_LABEL (widget) && gtk_label_get_ellipsize (GTK_LABEL (widget)) == PANGO_ELLIPSIZE_NONE &&
      !gtk_label_get_wrap (GTK_LABEL (widget)))
    {
      int natural;

      gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      for (GtkWidget *ancestor = widget; ancestor != NULL; ancestor = gtk_widget_get_parent (ancestor))
        {
          graphene_rect_t bounds;
          float left, right;

          /* The label's text, centred in its place as GTK draws it. */
          if (!gtk_widget_compute_bounds (widget, ancestor, &bounds))
            break;
          left = bounds.origin.x + (bounds.size.width - natural) / 2;
          right = left + natural;
          /* A few pixels' leeway: a label may be given a little less than
           * it asks for and still draw its text whole (a button's). */
          if (left < -4 || right > gtk_widget_get_width (ancestor) + 4)
            {
              g_ptr_array_add (found, g_strdup_printf ("“%s” (%d px) out of a %s %d px wide",
                                                       gtk_label_get_text (GTK_LABEL (widget)), natural,
                                                       G_OBJECT_TYPE_NAME (ancestor),
                                                       gtk_widget_get_width (ancestor)));
              break;
            }
          if (GTK_IS_ROOT (ancestor))
            break;
        }
    }

  /* A squeezer keeps the children it does not show mapped. */
  if (ADW_IS_SQUEEZER (widget))
    {
      GtkWidget *shown = adw_squeezer_get_visible_child (ADW_SQUEEZER (widget));

      if (shown != NULL)
        collect_overflowing (shown, found);
      return;
    }

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_overflowing (c, found);
}

static void
assert_nothing_overflows (GtkWidget *widget)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  collect_overflowing (widget, found);
  for (guint i = 0; i < found->len; i++)
    g_test_message ("Runs over in %s: %s", G_OBJECT_TYPE_NAME (widget), (char *) g_ptr_array_index (found, i));
  g_assert_cmpuint (found->len, ==, 0);
}

/* The text of every visible label under @widget, one per line. */

#define assert_shows(text, needle) \
  G_STMT_START { \
    if (strstr ((text), (needle)) == NULL) \
      { \
        g_test_message ("On screen:\n%s", (text)); \
        g_assert_cmpstr ((needle), ==, "(on screen)"); \
      } \
  } G_STMT_END

static GtkWindow *
find_toplevel (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      found = l->data;
  g_list_free (toplevels);

  return found;
}

/* Fixture: the window on a demo database */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gboolean empty = GPOINTER_TO_INT (data);

  fixture->dir = test_make_tmp_dir ("translation");
  fixture->path = g_build_filename (fixture->dir, "waybill.db", NULL);
  fixture->store = test_open_store (fixture->path);
  if (!empty)
    {
      waybill_demo_fill (fixture->store, 40, 1042, &error);
      g_assert_no_error (error);
    }

  fixture->window = waybill_window_new (NULL, fixture->store, NULL);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 720);
  gtk_window_present (GTK_WINDOW (fixture->window));
  iterate (100);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  iterate (50);
  g_assert_finalize_object (fixture->store);
  remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/* The filter drop-down, once its counts are in (they come in an idle). */
static GListModel *
filter_labels (Fixture *fixture)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (fixture->window),
                                                                        WAYBILL_TYPE_WINDOW, "filter_dropdown"));
  GListModel *labels = gtk_drop_down_get_model (dropdown);
  gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline &&
         (g_list_model_get_n_items (labels) == 0 ||
          strchr (gtk_string_list_get_string (GTK_STRING_LIST (labels), 0), '(') == NULL))
    {
      iterate (20);
      labels = gtk_drop_down_get_model (dropdown);
    }

  return labels;
}

static guint
find_order_in_transit (GListModel *orders)
{
  for (guint i = 0; i < g_list_model_get_n_items (orders); i++)
    {
      g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, i);

      if (waybill_order_get_display_status (order) == WAYBILL_STATUS_IN_TRANSIT)
        return i;
    }

  g_assert_not_reached ();
}

/* Tests */

static void
test_catalogue (void)
{
  g_autofree char *mo = g_build_filename (BUILD_LOCALEDIR, "de", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  if (!g_file_test (mo, G_FILE_TEST_EXISTS))
    {
      g_test_message ("%s is missing: is “de” in po/LINGUAS?", mo);
      g_assert_not_reached ();
    }

  /* LANGUAGE counts with C.UTF-8, which the rest of the locale is. */
  g_assert_cmpstr (setlocale (LC_MESSAGES, NULL), ==, "C.UTF-8");
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "No Order Selected"), ==, "Keine Bestellung ausgewählt");
  g_assert_cmpstr (_("Orders"), ==, "Bestellungen");
  g_assert_cmpstr (C_("shortcut window", "Quit"), ==, "Beenden");
  g_assert_cmpstr (ngettext ("%u order", "%u orders", 1), ==, "%u Bestellung");
  g_assert_cmpstr (ngettext ("%u order", "%u orders", 2), ==, "%u Bestellungen");
}

static void
test_time_locale (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2026, 12, 3, 14, 5, 0);
  g_autofree char *text = NULL;

  if (locale_problem != NULL)
    {
      g_test_message ("No German dates: %s", locale_problem);
      g_assert_not_reached ();
    }

  g_assert_cmpstr (setlocale (LC_TIME, NULL), ==, GERMAN_TIME_LOCALE);
  /* The German format of the catalogue with the German names of the
   * locale. */
  text = waybill_format_date_time (time);
  g_assert_cmpstr (text, ==, "Do, 3. Dez, 14:05");
}

static void
test_window (Fixture       *fixture,
             gconstpointer  data)
{
  GListModel *labels = filter_labels (fixture);
  GListModel *orders = waybill_window_get_orders (fixture->window);
  g_autofree char *text = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (orders), ==, 39);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  text = widget_text (GTK_WIDGET (fixture->window));

  assert_shows (text, "Bestellungen");
  assert_shows (text, "39 Bestellungen");
  assert_shows (text, "Keine Bestellung ausgewählt");
  assert_shows (text, "Wählen Sie eine Bestellung, um zu sehen, wo ihre Pakete sind.");
  /* Status pills and delivery lines of the rows. */
  assert_shows (text, "Unterwegs");
  assert_shows (text, "Zugestellt");
  assert_shows (text, "In Zustellung");
  assert_shows (text, "Ankunft: ");
  assert_shows (text, "Zugestellt: ");
  g_assert_null (strstr (text, "No Order Selected"));
  g_assert_null (strstr (text, "In Transit"));
  g_assert_null (strstr (text, "Arrives "));

  /* The filters, with their counts. */
  g_assert_cmpuint (g_list_model_get_n_items (labels), ==, 6);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), WAYBILL_FILTER_ALL), ==, "Alle (39)");
  g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (labels), WAYBILL_FILTER_ACTIVE),
                                   "Aktiv ("));
  g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (labels), WAYBILL_FILTER_ATTENTION),
                                   "Braucht Aufmerksamkeit ("));
  g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (labels),
                                                               WAYBILL_FILTER_OUT_FOR_DELIVERY),
                                   "In Zustellung ("));
  g_assert_true (g_str_has_prefix (gtk_string_list_get_string (GTK_STRING_LIST (labels), WAYBILL_FILTER_DELIVERED),
                                   "Zugestellt ("));
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (labels), WAYBILL_FILTER_ARCHIVED), ==,
                   "Archiviert (1)");

  /* Menus, tooltips, placeholders, and what is not shown yet. */
  assert_all_translated (GTK_WIDGET (fixture->window), NULL);
  assert_nothing_overflows (GTK_WIDGET (fixture->window));
}

static void
test_timeline (Fixture       *fixture,
               gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  guint position = find_order_in_transit (orders);
  g_autoptr(WaybillOrder) order = g_list_model_get_item (orders, position);
  g_autoptr(WaybillOrder) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) german = g_regex_new (GERMAN_DATE_TIME, 0, 0, NULL);
  g_autoptr(GRegex) english = g_regex_new (ENGLISH_DAY, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GStrvBuilder) carrier_words_builder = g_strv_builder_new ();
  g_auto(GStrv) carrier_words = NULL;
  guint n_dates = 0;
  guint n_events = 0;

  if (locale_problem != NULL)
    {
      g_test_message ("No German dates: %s", locale_problem);
      g_assert_not_reached ();
    }

  waybill_window_select_order (fixture->window, position);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  iterate (50);
  text = widget_text (waybill_window_get_detail (fixture->window));

  /* The stepper, the status and the cards. */
  assert_shows (text, "Eingegangen");
  assert_shows (text, "Versandt");
  assert_shows (text, "Unterwegs");
  assert_shows (text, "In Zustellung");
  assert_shows (text, "Zugestellt");
  assert_shows (text, "Zustellung");
  assert_shows (text, "Lieferadresse");
  assert_shows (text, "Zuletzt abgefragt: ");

  /* Every event's time, in German, in every shipment's timeline. */
  stored = waybill_store_get_order (fixture->store, waybill_order_get_id (order), &error);
  g_assert_no_error (error);
  for (guint s = 0; s < waybill_order_get_shipments (stored)->len; s++)
    {
      WaybillShipment *shipment = g_ptr_array_index (waybill_order_get_shipments (stored), s);
      GPtrArray *events;

      waybill_store_load_events (fixture->store, shipment, &error);
      g_assert_no_error (error);
      events = waybill_shipment_get_events (shipment);
      n_events += events->len;
      for (guint i = 0; i < events->len; i++)
        {
          WaybillTrackingEvent *event = g_ptr_array_index (events, i);
          g_autofree char *when = waybill_format_date_time (waybill_tracking_event_get_time (event));

          g_assert_true (g_regex_match (german, when, 0, NULL));
          assert_shows (text, when);
          /* The carrier's words are the carrier's (the demo's are English). */
          g_strv_builder_add (carrier_words_builder, waybill_tracking_event_get_description (event));
        }
    }
  g_assert_cmpuint (n_events, >=, 3);
  carrier_words = g_strv_builder_end (carrier_words_builder);

  g_regex_match (german, text, 0, &match);
  for (; g_match_info_matches (match); g_match_info_next (match, NULL))
    n_dates++;
  g_assert_cmpuint (n_dates, >=, n_events);
  if (g_regex_match (english, text, 0, NULL))
    {
      g_test_message ("On screen:\n%s", text);
      g_assert_not_reached ();
    }

  assert_all_translated (GTK_WIDGET (fixture->window), (const char * const *) carrier_words);
  assert_nothing_overflows (GTK_WIDGET (fixture->window));
}

static void
test_empty (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *text = NULL;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->window));
  text = widget_text (GTK_WIDGET (fixture->window));
  assert_shows (text, "Noch keine Bestellungen");
  assert_shows (text, "_Demodaten ausprobieren");
  assert_shows (text, "Bestellung _hinzufügen");
  assert_all_translated (GTK_WIDGET (fixture->window), NULL);
  assert_nothing_overflows (GTK_WIDGET (fixture->window));
}

static void
test_editor (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWindow *editor;
  g_autofree char *text = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.new-order", NULL));
  iterate (100);
  editor = find_toplevel (WAYBILL_TYPE_ORDER_EDITOR);
  g_assert_nonnull (editor);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (editor));

  text = widget_text (GTK_WIDGET (editor));
  assert_shows (text, "Neue Bestellung");
  assert_shows (text, "Bestellnummer");
  assert_shows (text, "Name des Kunden");
  assert_shows (text, "Sendungsnummer");
  assert_all_translated (GTK_WIDGET (editor), NULL);
  assert_nothing_overflows (GTK_WIDGET (editor));

  gtk_window_destroy (editor);
  iterate (50);
}

static void
test_preferences (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkWindow *preferences;
  g_autofree char *text = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.preferences", NULL));
  iterate (100);
  preferences = find_toplevel (WAYBILL_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (preferences));

  g_assert_cmpstr (gtk_window_get_title (preferences), ==, "Einstellungen");
  text = widget_text (GTK_WIDGET (preferences));
  assert_shows (text, "Paketdienste");
  assert_all_translated (GTK_WIDGET (preferences), NULL);
  /* At its default size, where the pages' names sit in a bar below (it
   * slides in). */
  iterate (500);
  assert_nothing_overflows (GTK_WIDGET (preferences));

  gtk_window_destroy (preferences);
  iterate (50);
}

/* The insights and the customers' feedback: German, and no label runs
 * out of its place, at the windows' default sizes. */
static void
test_insights_and_feedback (Fixture       *fixture,
                            gconstpointer  data)
{
  WaybillInsightsWindow *insights = waybill_insights_window_new (GTK_WINDOW (fixture->window), fixture->store);
  WaybillFeedbackWindow *feedback = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autofree char *text = NULL;

  /* Some feedback to list. */
  orders = waybill_store_search (fixture->store, "1", 3, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < orders->len; i++)
    {
      g_autoptr(GDateTime) given = g_date_time_new_now_utc ();
      g_autoptr(WaybillFeedback) item = waybill_feedback_new (waybill_order_get_id (g_ptr_array_index (orders, i)),
                                                              i + 3, "Schnell und gut verpackt", given,
                                                              WAYBILL_FEEDBACK_SOURCE_STAFF);

      g_assert_true (waybill_store_add_feedback (fixture->store, item, NULL, &error));
      g_assert_no_error (error);
    }

  gtk_window_present (GTK_WINDOW (insights));
  while (waybill_insights_window_is_loading (insights) && g_get_monotonic_time () < deadline)
    iterate (10);
  g_assert_false (waybill_insights_window_is_loading (insights));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (insights));
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (insights)), ==, "Auswertungen");
  assert_all_translated (GTK_WIDGET (insights), NULL);
  assert_nothing_overflows (GTK_WIDGET (insights));
  gtk_window_destroy (GTK_WINDOW (insights));

  feedback = waybill_feedback_window_new (GTK_WINDOW (fixture->window), fixture->store);
  gtk_window_present (GTK_WINDOW (feedback));
  iterate (300);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (feedback));
  text = widget_text (GTK_WIDGET (feedback));
  assert_shows (text, "Schnell und gut verpackt");
  assert_all_translated (GTK_WIDGET (feedback), NULL);
  assert_nothing_overflows (GTK_WIDGET (feedback));
  gtk_window_destroy (GTK_WINDOW (feedback));
  iterate (50);
}

static void
test_shortcuts (void)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource ("/io/github/waybill/Waybill/gtk/help-overlay.ui");
  GtkWidget *overlay = GTK_WIDGET (gtk_builder_get_object (builder, "help_overlay"));
  g_autofree char *text = NULL;

  g_assert_nonnull (overlay);
  gtk_window_present (GTK_WINDOW (overlay));
  gtk_test_widget_wait_for_draw (overlay);
  text = widget_text (overlay);
  assert_shows (text, "Bestellungen durchsuchen");
  assert_shows (text, "Beenden");
  assert_all_translated (overlay, NULL);
  gtk_window_destroy (GTK_WINDOW (overlay));
}

static void
test_store_error (void)
{
  g_autoptr(GError) error = g_error_new_literal (WAYBILL_STORE_ERROR, WAYBILL_STORE_ERROR_NOT_A_DATABASE, "x");
  WaybillWindow *window = waybill_window_new (NULL, NULL, error);
  g_autofree char *text = NULL;

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  text = widget_text (GTK_WIDGET (window));
  assert_shows (text, "Die Bestellungen konnten nicht geöffnet werden");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The reply staff paste into a chat, in German with German dates: an
 * order in transit, last scanned this morning, due on Thursday. */
static void
test_status_reply (void)
{
  g_autoptr(WaybillOrder) order = waybill_order_new ("1042", "Anna");
  WaybillShipment *shipment = waybill_shipment_new ("ups", "1Z999AA10123456784");
  g_autoptr(GDateTime) now = g_date_time_new_utc (2025, 12, 2, 15, 0, 0);
  g_autoptr(GDateTime) scanned = g_date_time_new_utc (2025, 12, 2, 8, 10, 0);
  g_autoptr(GDateTime) eta = g_date_time_new_utc (2025, 12, 4, 18, 0, 0);
  g_autofree char *text = NULL;

  waybill_order_set_stage (order, WAYBILL_STATUS_SHIPPED);
  waybill_shipment_set_status (shipment, WAYBILL_STATUS_IN_TRANSIT);
  waybill_shipment_set_estimated_delivery (shipment, NULL, eta);
  g_ptr_array_add (waybill_shipment_get_events (shipment),
                   waybill_tracking_event_new (scanned, WAYBILL_STATUS_IN_TRANSIT, "X", "Scan", "Memphis, TN, US"));
  waybill_order_add_shipment (order, shipment);

  text = waybill_status_reply_build (order, now);
  g_test_message ("%s", text);
  assert_shows (text, "1042");
  assert_shows (text, "Memphis, TN, US");
  g_assert_null (strstr (text, "Your order"));
  g_assert_null (strstr (text, "Track it here"));
  assert_shows (text, "heute Morgen");
  assert_shows (text, "Donnerstag, 4. Dezember");
}

/* Notifications: through libnotify to python3-dbusmock's notification
 * daemon on the test's private bus. */

static GVariant *
call_mock (GDBusConnection    *bus,
           const char         *iface,
           const char         *method,
           const GVariantType *reply_type,
           GError            **error)
{
  return g_dbus_connection_call_sync (bus, NOTIFY_NAME, NOTIFY_PATH, iface, method, NULL, reply_type,
                                      G_DBUS_CALL_FLAGS_NO_AUTO_START, 2000, NULL, error);
}

static GSubprocess *
start_notification_daemon (GDBusConnection *bus,
                           const char      *log_file)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *daemon;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean ready = FALSE;

  /* -l: without a log file dbusmock prints the calls on stdout, which
   * would break the TAP output. */
  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                             "/usr/bin/python3", "-m", "dbusmock", "--template", "notification_daemon",
                             "-l", log_file, NULL);
  g_assert_no_error (error);

  while (!ready && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GVariant) caps = call_mock (bus, NOTIFY_IFACE, "GetCapabilities", G_VARIANT_TYPE ("(as)"), NULL);

      ready = caps != NULL;
      if (!ready)
        g_usleep (20 * 1000);
    }
  g_assert_true (ready);

  return daemon;
}

static void
test_notification (Fixture       *fixture,
                   gconstpointer  data)
{
  GListModel *orders = waybill_window_get_orders (fixture->window);
  g_autoptr(WaybillOrder) listed = g_list_model_get_item (orders, find_order_in_transit (orders));
  g_autoptr(WaybillOrder) order = NULL;
  g_autoptr(WaybillNotifier) notifier = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func ((GDestroyNotify) waybill_status_change_free);
  g_autoptr(GDateTime) eta = g_date_time_new_utc (2026, 12, 3, 14, 5, 0);
  g_autoptr(GVariant) calls = NULL;
  g_autoptr(GVariantIter) iter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *log_file = g_build_filename (fixture->dir, "notifications.log", NULL);
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  g_autofree char *expected_summary = NULL;
  g_auto(GStrv) actions = NULL;
  WaybillShipment *shipment;
  WaybillStatusChange *change;
  const char *method;
  GVariant *args;
  guint64 timestamp;
  guint n_notify = 0;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  daemon = start_notification_daemon (bus, log_file);

  order = waybill_store_get_order (fixture->store, waybill_order_get_id (listed), &error);
  g_assert_no_error (error);
  shipment = waybill_order_get_primary_shipment (order);
  g_assert_nonnull (shipment);
  waybill_shipment_set_status (shipment, WAYBILL_STATUS_OUT_FOR_DELIVERY);
  change = waybill_status_change_new_for_shipment (order, shipment, WAYBILL_STATUS_IN_TRANSIT);
  g_clear_pointer (&change->location, g_free);
  change->location = g_strdup ("Leipzig");
  g_clear_pointer (&change->estimated_delivery, g_date_time_unref);
  change->estimated_delivery = g_date_time_ref (eta);
  change->delayed = FALSE;
  g_ptr_array_add (changes, change);

  notifier = waybill_notifier_new (fixture->store, "io.github.waybill.Waybill.Test", "Waybill");
  g_assert_true (waybill_notifier_announce (notifier, changes, &error));
  g_assert_no_error (error);

  calls = call_mock (bus, MOCK_IFACE, "GetCalls", G_VARIANT_TYPE ("(a(tsav))"), &error);
  g_assert_no_error (error);
  g_variant_get (calls, "(a(tsav))", &iter);
  while (g_variant_iter_next (iter, "(t&s@av)", &timestamp, &method, &args))
    {
      if (g_str_equal (method, "Notify"))
        {
          g_autoptr(GVariant) value = NULL;

          n_notify++;
          g_variant_get_child (args, 3, "v", &value);
          summary = g_variant_dup_string (value, NULL);
          g_clear_pointer (&value, g_variant_unref);
          g_variant_get_child (args, 4, "v", &value);
          body = g_variant_dup_string (value, NULL);
          g_clear_pointer (&value, g_variant_unref);
          g_variant_get_child (args, 5, "v", &value);
          actions = g_variant_dup_strv (value, NULL);
        }
      g_variant_unref (args);
    }
  g_assert_cmpuint (n_notify, ==, 1);

  expected_summary = g_strdup_printf ("Bestellung %s ist in Zustellung", waybill_order_get_order_number (order));
  g_assert_cmpstr (summary, ==, expected_summary);
  g_test_message ("Body: %s", body);
  g_assert_nonnull (strstr (body, "Ort: Leipzig"));
  /* The expected delivery, a German date in the German format. */
  g_assert_nonnull (strstr (body, "Voraussichtlich: Do, 3. Dez, 14:05"));
  g_assert_true (g_strv_contains ((const char * const *) actions, "Bestellung öffnen"));
  g_assert_true (g_strv_contains ((const char * const *) actions, "Sendungsnummer kopieren"));

  g_clear_object (&notifier);
  notify_uninit ();
  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  set_up_german ();

  /* A bus of our own: the notification daemon lives there, and the
   * preferences' keyring look-up finds no keyring to touch. */
  {
    /* GTestDBus unsets DISPLAY, which GTK still needs. */
    g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));

    test_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
    g_test_dbus_up (test_bus);
    if (display != NULL)
      g_setenv ("DISPLAY", display, TRUE);
  }

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  ui_test_load_app_style ();

#define ADD(path, func, empty) \
  g_test_add (path, Fixture, GINT_TO_POINTER (empty), fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/waybill/translation/catalogue", test_catalogue);
  g_test_add_func ("/waybill/translation/time-locale", test_time_locale);
  ADD ("/waybill/translation/window", test_window, FALSE);
  ADD ("/waybill/translation/timeline", test_timeline, FALSE);
  ADD ("/waybill/translation/empty", test_empty, TRUE);
  ADD ("/waybill/translation/editor", test_editor, FALSE);
  ADD ("/waybill/translation/preferences", test_preferences, FALSE);
  ADD ("/waybill/translation/insights-and-feedback", test_insights_and_feedback, FALSE);
  g_test_add_func ("/waybill/translation/shortcuts", test_shortcuts);
  g_test_add_func ("/waybill/translation/store-error", test_store_error);
  g_test_add_func ("/waybill/translation/status-reply", test_status_reply);
  ADD ("/waybill/translation/notification", test_notification, FALSE);

  status = g_test_run ();

  /* Stopped without waiting for the connection to go (g_test_dbus_down()
   * would, for 30 s); the object is left as it is for the same reason. */
  g_test_dbus_stop (test_bus);
  if (private_locale_dir != NULL)
    remove_tree (private_locale_dir);
  g_free (private_locale_dir);
  g_free (locale_problem);

  return status;
}

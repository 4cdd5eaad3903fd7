/* waybill-messages-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "waybill-message.h"
#include "waybill-outbox.h"

G_BEGIN_DECLS

#define WAYBILL_TYPE_MESSAGES_PAGE (waybill_messages_page_get_type ())

G_DECLARE_FINAL_TYPE (WaybillMessagesPage, waybill_messages_page, WAYBILL, MESSAGES_PAGE, AdwPreferencesPage)

WaybillMessagesPage *waybill_messages_page_new          (GSettings           *settings);
void                 waybill_messages_page_set_outbox   (WaybillMessagesPage *self,
                                                         WaybillOutbox       *outbox);
void                 waybill_messages_page_show_event   (WaybillMessagesPage *self,
                                                         WaybillMessageEvent  event);

G_END_DECLS

"""Words for kinds and categories, translated where they are shown."""

from __future__ import annotations

from bot.i18n import N_, Translator
from bot.language import CATEGORIES
from bot.services.diary.loans import UNNAMED
from models import Loan

KIND_LABELS = {
    "income": N_("Thu"),
    "expense": N_("Chi"),
    "borrow": N_("Vay"),
    "repay": N_("Trả nợ"),
    "interest": N_("Trả lãi"),
    "lend": N_("Cho mượn"),
    "collect": N_("Thu nợ về"),
    "save": N_("Bỏ vào tiết kiệm, hụi"),
    "withdraw": N_("Rút tiết kiệm, hốt hụi"),
}

CATEGORY_LABELS = {
    "crop": N_("Trồng trọt"),
    "livestock": N_("Chăn nuôi"),
    "aquaculture": N_("Thủy sản"),
    "wage": N_("Tiền công, lương"),
    "business": N_("Buôn bán, dịch vụ"),
    "remittance": N_("Người thân gửi về"),
    "support": N_("Trợ cấp, hỗ trợ"),
    "other_income": N_("Thu khác"),
    "production": N_("Chi sản xuất"),
    "food": N_("Ăn uống"),
    "utilities": N_("Điện, nước, liên lạc"),
    "education": N_("Học hành"),
    "health": N_("Y tế"),
    "household": N_("Nhà cửa, đồ dùng"),
    "transport": N_("Đi lại"),
    "social": N_("Hiếu hỉ, lễ"),
    "other_expense": N_("Chi khác"),
    "loan": N_("Vay, trả nợ"),
    "lending": N_("Cho mượn"),
    "savings": N_("Tiết kiệm, hụi"),
}


def categories_for(kind: str) -> tuple[str, ...]:
    """The diary's categories for a kind, in the contract's order (from the lexicon)."""
    return tuple(code for code, info in CATEGORIES.items() if kind in info.kinds)


INCOME_CATEGORIES = categories_for("income")
EXPENSE_CATEGORIES = categories_for("expense")


def party_label(t: Translator, loan: Loan) -> str:
    """The other side of a loan; never the stored placeholder ("Khác") for nobody named."""
    return t._("(chưa ghi tên)") if loan.lender == UNNAMED else loan.lender


def kind_label(t: Translator, kind: str) -> str:
    return t._(KIND_LABELS.get(kind, kind))


def category_label(t: Translator, category: str) -> str:
    return t._(CATEGORY_LABELS.get(category, category))

# Generated from schema/derived_rules.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = 'c6e7b4b745f51511449de6fce4efd597623e468842b3067d29215556e70b53d6'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z]+$': re.compile('^[a-z]+$'),
    '^[a-z0-9 \\-]+$': re.compile('^[a-z0-9 \\-]+\\Z'),
    '^[a-z0-9][a-z0-9\\-]*$': re.compile('^[a-z0-9][a-z0-9\\-]*\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['mechanism_terms', 'cyp_inhibition', 'cyp_induction', 'maoi_serotonergic', 'maoi_sympathomimetic', 'maoi_maoi', 'serotonergic_burden', 'qt_burden', 'cns_burden', 'opioid_benzodiazepine', 'anticholinergic_burden', 'seizure_threshold', 'bleeding', 'smoking', 'context']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "mechanism_terms" in data_keys:
            data_keys.remove("mechanism_terms")
            data__mechanismterms = data["mechanism_terms"]
            if not isinstance(data__mechanismterms, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".mechanism_terms must be object")
            data__mechanismterms_is_dict = isinstance(data__mechanismterms, dict)
            if data__mechanismterms_is_dict:
                data__mechanismterms__missing_keys = set(['cyp', 'serotonergic', 'pressor', 'qt', 'cns', 'anticholinergic', 'seizure', 'bleeding']) - data__mechanismterms.keys()
                if data__mechanismterms__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".mechanism_terms must contain ")
                data__mechanismterms_keys = set(data__mechanismterms.keys())
                for data__mechanismterms_key, data__mechanismterms_val in data__mechanismterms.items():
                    if REGEX_PATTERNS['^[a-z]+$'].search(data__mechanismterms_key):
                        if data__mechanismterms_key in data__mechanismterms_keys:
                            data__mechanismterms_keys.remove(data__mechanismterms_key)
                        if not isinstance(data__mechanismterms_val, (list, tuple)):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".mechanism_terms.{data__mechanismterms_key}".format(**locals()) + " must be array")
                        data__mechanismterms_val_is_list = isinstance(data__mechanismterms_val, (list, tuple))
                        if data__mechanismterms_val_is_list:
                            data__mechanismterms_val_len = len(data__mechanismterms_val)
                            if data__mechanismterms_val_len < 1:
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".mechanism_terms.{data__mechanismterms_key}".format(**locals()) + " must contain at least 1 items")
                            for data__mechanismterms_val_x, data__mechanismterms_val_item in enumerate(data__mechanismterms_val):
                                if not isinstance(data__mechanismterms_val_item, (str)):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".mechanism_terms.{data__mechanismterms_key}[{data__mechanismterms_val_x}]".format(**locals()) + " must be string")
                                if isinstance(data__mechanismterms_val_item, str):
                                    if not REGEX_PATTERNS['^[a-z0-9 \\-]+$'].search(data__mechanismterms_val_item):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".mechanism_terms.{data__mechanismterms_key}[{data__mechanismterms_val_x}]".format(**locals()) + " must match pattern ^[a-z0-9 \\-]+$")
                if data__mechanismterms_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".mechanism_terms must not contain "+str(data__mechanismterms_keys)+" properties")
        if "cyp_inhibition" in data_keys:
            data_keys.remove("cyp_inhibition")
            data__cypinhibition = data["cyp_inhibition"]
            validate___definitions_enzyme_rule(data__cypinhibition, custom_formats, (name_prefix or "data") + ".cyp_inhibition")
        if "cyp_induction" in data_keys:
            data_keys.remove("cyp_induction")
            data__cypinduction = data["cyp_induction"]
            validate___definitions_enzyme_rule(data__cypinduction, custom_formats, (name_prefix or "data") + ".cyp_induction")
        if "maoi_serotonergic" in data_keys:
            data_keys.remove("maoi_serotonergic")
            data__maoiserotonergic = data["maoi_serotonergic"]
            validate___definitions_simple_rule(data__maoiserotonergic, custom_formats, (name_prefix or "data") + ".maoi_serotonergic")
            data__maoiserotonergic_is_dict = isinstance(data__maoiserotonergic, dict)
            if data__maoiserotonergic_is_dict:
                data__maoiserotonergic__missing_keys = set(['partner_min_serotonergic']) - data__maoiserotonergic.keys()
                if data__maoiserotonergic__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".maoi_serotonergic must contain ")
                data__maoiserotonergic_keys = set(data__maoiserotonergic.keys())
                if "partner_min_serotonergic" in data__maoiserotonergic_keys:
                    data__maoiserotonergic_keys.remove("partner_min_serotonergic")
                    data__maoiserotonergic__partnerminserotonergic = data__maoiserotonergic["partner_min_serotonergic"]
                    validate___definitions_level(data__maoiserotonergic__partnerminserotonergic, custom_formats, (name_prefix or "data") + ".maoi_serotonergic.partner_min_serotonergic")
        if "maoi_sympathomimetic" in data_keys:
            data_keys.remove("maoi_sympathomimetic")
            data__maoisympathomimetic = data["maoi_sympathomimetic"]
            validate___definitions_simple_rule(data__maoisympathomimetic, custom_formats, (name_prefix or "data") + ".maoi_sympathomimetic")
        if "maoi_maoi" in data_keys:
            data_keys.remove("maoi_maoi")
            data__maoimaoi = data["maoi_maoi"]
            validate___definitions_simple_rule(data__maoimaoi, custom_formats, (name_prefix or "data") + ".maoi_maoi")
        if "serotonergic_burden" in data_keys:
            data_keys.remove("serotonergic_burden")
            data__serotonergicburden = data["serotonergic_burden"]
            validate___definitions_simple_rule(data__serotonergicburden, custom_formats, (name_prefix or "data") + ".serotonergic_burden")
            data__serotonergicburden_is_dict = isinstance(data__serotonergicburden, dict)
            if data__serotonergicburden_is_dict:
                data__serotonergicburden__missing_keys = set(['min_level', 'high_pair_severity']) - data__serotonergicburden.keys()
                if data__serotonergicburden__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".serotonergic_burden must contain ")
                data__serotonergicburden_keys = set(data__serotonergicburden.keys())
                if "min_level" in data__serotonergicburden_keys:
                    data__serotonergicburden_keys.remove("min_level")
                    data__serotonergicburden__minlevel = data__serotonergicburden["min_level"]
                    validate___definitions_level(data__serotonergicburden__minlevel, custom_formats, (name_prefix or "data") + ".serotonergic_burden.min_level")
                if "high_pair_severity" in data__serotonergicburden_keys:
                    data__serotonergicburden_keys.remove("high_pair_severity")
                    data__serotonergicburden__highpairseverity = data__serotonergicburden["high_pair_severity"]
                    validate___definitions_severity(data__serotonergicburden__highpairseverity, custom_formats, (name_prefix or "data") + ".serotonergic_burden.high_pair_severity")
        if "qt_burden" in data_keys:
            data_keys.remove("qt_burden")
            data__qtburden = data["qt_burden"]
            validate___definitions_simple_rule(data__qtburden, custom_formats, (name_prefix or "data") + ".qt_burden")
            data__qtburden_is_dict = isinstance(data__qtburden, dict)
            if data__qtburden_is_dict:
                data__qtburden__missing_keys = set(['min_level', 'prolonged_qtc_ms', 'prolonged_stack_severity', 'prolonged_single_severity', 'high_qtc_ms', 'high_qtc_severity', 'summary_context', 'mechanism_context']) - data__qtburden.keys()
                if data__qtburden__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".qt_burden must contain ")
                data__qtburden_keys = set(data__qtburden.keys())
                if "min_level" in data__qtburden_keys:
                    data__qtburden_keys.remove("min_level")
                    data__qtburden__minlevel = data__qtburden["min_level"]
                    validate___definitions_level(data__qtburden__minlevel, custom_formats, (name_prefix or "data") + ".qt_burden.min_level")
                if "prolonged_qtc_ms" in data__qtburden_keys:
                    data__qtburden_keys.remove("prolonged_qtc_ms")
                    data__qtburden__prolongedqtcms = data__qtburden["prolonged_qtc_ms"]
                    if not isinstance(data__qtburden__prolongedqtcms, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".qt_burden.prolonged_qtc_ms must be object")
                    data__qtburden__prolongedqtcms_is_dict = isinstance(data__qtburden__prolongedqtcms, dict)
                    if data__qtburden__prolongedqtcms_is_dict:
                        data__qtburden__prolongedqtcms__missing_keys = set(['female', 'male', 'unknown']) - data__qtburden__prolongedqtcms.keys()
                        if data__qtburden__prolongedqtcms__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".qt_burden.prolonged_qtc_ms must contain ")
                        data__qtburden__prolongedqtcms_keys = set(data__qtburden__prolongedqtcms.keys())
                        if "female" in data__qtburden__prolongedqtcms_keys:
                            data__qtburden__prolongedqtcms_keys.remove("female")
                            data__qtburden__prolongedqtcms__female = data__qtburden__prolongedqtcms["female"]
                            if not isinstance(data__qtburden__prolongedqtcms__female, (int, float, Decimal)) or isinstance(data__qtburden__prolongedqtcms__female, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".qt_burden.prolonged_qtc_ms.female must be number")
                        if "male" in data__qtburden__prolongedqtcms_keys:
                            data__qtburden__prolongedqtcms_keys.remove("male")
                            data__qtburden__prolongedqtcms__male = data__qtburden__prolongedqtcms["male"]
                            if not isinstance(data__qtburden__prolongedqtcms__male, (int, float, Decimal)) or isinstance(data__qtburden__prolongedqtcms__male, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".qt_burden.prolonged_qtc_ms.male must be number")
                        if "unknown" in data__qtburden__prolongedqtcms_keys:
                            data__qtburden__prolongedqtcms_keys.remove("unknown")
                            data__qtburden__prolongedqtcms__unknown = data__qtburden__prolongedqtcms["unknown"]
                            if not isinstance(data__qtburden__prolongedqtcms__unknown, (int, float, Decimal)) or isinstance(data__qtburden__prolongedqtcms__unknown, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".qt_burden.prolonged_qtc_ms.unknown must be number")
                        if data__qtburden__prolongedqtcms_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".qt_burden.prolonged_qtc_ms must not contain "+str(data__qtburden__prolongedqtcms_keys)+" properties")
                if "prolonged_stack_severity" in data__qtburden_keys:
                    data__qtburden_keys.remove("prolonged_stack_severity")
                    data__qtburden__prolongedstackseverity = data__qtburden["prolonged_stack_severity"]
                    validate___definitions_severity(data__qtburden__prolongedstackseverity, custom_formats, (name_prefix or "data") + ".qt_burden.prolonged_stack_severity")
                if "prolonged_single_severity" in data__qtburden_keys:
                    data__qtburden_keys.remove("prolonged_single_severity")
                    data__qtburden__prolongedsingleseverity = data__qtburden["prolonged_single_severity"]
                    validate___definitions_severity(data__qtburden__prolongedsingleseverity, custom_formats, (name_prefix or "data") + ".qt_burden.prolonged_single_severity")
                if "high_qtc_ms" in data__qtburden_keys:
                    data__qtburden_keys.remove("high_qtc_ms")
                    data__qtburden__highqtcms = data__qtburden["high_qtc_ms"]
                    if not isinstance(data__qtburden__highqtcms, (int, float, Decimal)) or isinstance(data__qtburden__highqtcms, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".qt_burden.high_qtc_ms must be number")
                if "high_qtc_severity" in data__qtburden_keys:
                    data__qtburden_keys.remove("high_qtc_severity")
                    data__qtburden__highqtcseverity = data__qtburden["high_qtc_severity"]
                    validate___definitions_severity(data__qtburden__highqtcseverity, custom_formats, (name_prefix or "data") + ".qt_burden.high_qtc_severity")
                if "summary_context" in data__qtburden_keys:
                    data__qtburden_keys.remove("summary_context")
                    data__qtburden__summarycontext = data__qtburden["summary_context"]
                    validate___definitions_text(data__qtburden__summarycontext, custom_formats, (name_prefix or "data") + ".qt_burden.summary_context")
                if "mechanism_context" in data__qtburden_keys:
                    data__qtburden_keys.remove("mechanism_context")
                    data__qtburden__mechanismcontext = data__qtburden["mechanism_context"]
                    validate___definitions_text(data__qtburden__mechanismcontext, custom_formats, (name_prefix or "data") + ".qt_burden.mechanism_context")
        if "cns_burden" in data_keys:
            data_keys.remove("cns_burden")
            data__cnsburden = data["cns_burden"]
            validate___definitions_simple_rule(data__cnsburden, custom_formats, (name_prefix or "data") + ".cns_burden")
            data__cnsburden_is_dict = isinstance(data__cnsburden, dict)
            if data__cnsburden_is_dict:
                data__cnsburden__missing_keys = set(['min_level', 'stack_of_three_severity']) - data__cnsburden.keys()
                if data__cnsburden__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".cns_burden must contain ")
                data__cnsburden_keys = set(data__cnsburden.keys())
                if "min_level" in data__cnsburden_keys:
                    data__cnsburden_keys.remove("min_level")
                    data__cnsburden__minlevel = data__cnsburden["min_level"]
                    validate___definitions_level(data__cnsburden__minlevel, custom_formats, (name_prefix or "data") + ".cns_burden.min_level")
                if "stack_of_three_severity" in data__cnsburden_keys:
                    data__cnsburden_keys.remove("stack_of_three_severity")
                    data__cnsburden__stackofthreeseverity = data__cnsburden["stack_of_three_severity"]
                    validate___definitions_severity(data__cnsburden__stackofthreeseverity, custom_formats, (name_prefix or "data") + ".cns_burden.stack_of_three_severity")
        if "opioid_benzodiazepine" in data_keys:
            data_keys.remove("opioid_benzodiazepine")
            data__opioidbenzodiazepine = data["opioid_benzodiazepine"]
            validate___definitions_simple_rule(data__opioidbenzodiazepine, custom_formats, (name_prefix or "data") + ".opioid_benzodiazepine")
            data__opioidbenzodiazepine_is_dict = isinstance(data__opioidbenzodiazepine, dict)
            if data__opioidbenzodiazepine_is_dict:
                data__opioidbenzodiazepine__missing_keys = set(['opioid', 'benzodiazepine']) - data__opioidbenzodiazepine.keys()
                if data__opioidbenzodiazepine__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".opioid_benzodiazepine must contain ")
                data__opioidbenzodiazepine_keys = set(data__opioidbenzodiazepine.keys())
                if "opioid" in data__opioidbenzodiazepine_keys:
                    data__opioidbenzodiazepine_keys.remove("opioid")
                    data__opioidbenzodiazepine__opioid = data__opioidbenzodiazepine["opioid"]
                    validate___definitions_selector(data__opioidbenzodiazepine__opioid, custom_formats, (name_prefix or "data") + ".opioid_benzodiazepine.opioid")
                if "benzodiazepine" in data__opioidbenzodiazepine_keys:
                    data__opioidbenzodiazepine_keys.remove("benzodiazepine")
                    data__opioidbenzodiazepine__benzodiazepine = data__opioidbenzodiazepine["benzodiazepine"]
                    validate___definitions_selector(data__opioidbenzodiazepine__benzodiazepine, custom_formats, (name_prefix or "data") + ".opioid_benzodiazepine.benzodiazepine")
        if "anticholinergic_burden" in data_keys:
            data_keys.remove("anticholinergic_burden")
            data__anticholinergicburden = data["anticholinergic_burden"]
            validate___definitions_simple_rule(data__anticholinergicburden, custom_formats, (name_prefix or "data") + ".anticholinergic_burden")
            data__anticholinergicburden_is_dict = isinstance(data__anticholinergicburden, dict)
            if data__anticholinergicburden_is_dict:
                data__anticholinergicburden__missing_keys = set(['threshold']) - data__anticholinergicburden.keys()
                if data__anticholinergicburden__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".anticholinergic_burden must contain ")
                data__anticholinergicburden_keys = set(data__anticholinergicburden.keys())
                if "threshold" in data__anticholinergicburden_keys:
                    data__anticholinergicburden_keys.remove("threshold")
                    data__anticholinergicburden__threshold = data__anticholinergicburden["threshold"]
                    if not isinstance(data__anticholinergicburden__threshold, (int)) and not (isinstance(data__anticholinergicburden__threshold, float) and data__anticholinergicburden__threshold.is_integer()) or isinstance(data__anticholinergicburden__threshold, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".anticholinergic_burden.threshold must be integer")
                    if isinstance(data__anticholinergicburden__threshold, (int, float, Decimal)) and not isinstance(data__anticholinergicburden__threshold, bool):
                        if data__anticholinergicburden__threshold < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".anticholinergic_burden.threshold must be bigger than or equal to 1")
        if "seizure_threshold" in data_keys:
            data_keys.remove("seizure_threshold")
            data__seizurethreshold = data["seizure_threshold"]
            validate___definitions_simple_rule(data__seizurethreshold, custom_formats, (name_prefix or "data") + ".seizure_threshold")
            data__seizurethreshold_is_dict = isinstance(data__seizurethreshold, dict)
            if data__seizurethreshold_is_dict:
                data__seizurethreshold__missing_keys = set(['stack_of_three_severity']) - data__seizurethreshold.keys()
                if data__seizurethreshold__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".seizure_threshold must contain ")
                data__seizurethreshold_keys = set(data__seizurethreshold.keys())
                if "stack_of_three_severity" in data__seizurethreshold_keys:
                    data__seizurethreshold_keys.remove("stack_of_three_severity")
                    data__seizurethreshold__stackofthreeseverity = data__seizurethreshold["stack_of_three_severity"]
                    validate___definitions_severity(data__seizurethreshold__stackofthreeseverity, custom_formats, (name_prefix or "data") + ".seizure_threshold.stack_of_three_severity")
        if "bleeding" in data_keys:
            data_keys.remove("bleeding")
            data__bleeding = data["bleeding"]
            if not isinstance(data__bleeding, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding must be object")
            data__bleeding_is_dict = isinstance(data__bleeding, dict)
            if data__bleeding_is_dict:
                data__bleeding__missing_keys = set(['id', 'family', 'reuptake_inhibitor', 'partners', 'summary', 'mechanism', 'action', 'sources']) - data__bleeding.keys()
                if data__bleeding__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding must contain ")
                data__bleeding_keys = set(data__bleeding.keys())
                if "id" in data__bleeding_keys:
                    data__bleeding_keys.remove("id")
                    data__bleeding__id = data__bleeding["id"]
                    validate___definitions_id(data__bleeding__id, custom_formats, (name_prefix or "data") + ".bleeding.id")
                if "family" in data__bleeding_keys:
                    data__bleeding_keys.remove("family")
                    data__bleeding__family = data__bleeding["family"]
                    validate___definitions_family(data__bleeding__family, custom_formats, (name_prefix or "data") + ".bleeding.family")
                if "reuptake_inhibitor" in data__bleeding_keys:
                    data__bleeding_keys.remove("reuptake_inhibitor")
                    data__bleeding__reuptakeinhibitor = data__bleeding["reuptake_inhibitor"]
                    validate___definitions_selector(data__bleeding__reuptakeinhibitor, custom_formats, (name_prefix or "data") + ".bleeding.reuptake_inhibitor")
                if "partners" in data__bleeding_keys:
                    data__bleeding_keys.remove("partners")
                    data__bleeding__partners = data__bleeding["partners"]
                    if not isinstance(data__bleeding__partners, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners must be array")
                    data__bleeding__partners_is_list = isinstance(data__bleeding__partners, (list, tuple))
                    if data__bleeding__partners_is_list:
                        data__bleeding__partners_len = len(data__bleeding__partners)
                        if data__bleeding__partners_len < 1:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners must contain at least 1 items")
                        for data__bleeding__partners_x, data__bleeding__partners_item in enumerate(data__bleeding__partners):
                            if not isinstance(data__bleeding__partners_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners[{data__bleeding__partners_x}]".format(**locals()) + " must be object")
                            data__bleeding__partners_item_is_dict = isinstance(data__bleeding__partners_item, dict)
                            if data__bleeding__partners_item_is_dict:
                                data__bleeding__partners_item__missing_keys = set(['classes', 'severity']) - data__bleeding__partners_item.keys()
                                if data__bleeding__partners_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners[{data__bleeding__partners_x}]".format(**locals()) + " must contain ")
                                data__bleeding__partners_item_keys = set(data__bleeding__partners_item.keys())
                                if "classes" in data__bleeding__partners_item_keys:
                                    data__bleeding__partners_item_keys.remove("classes")
                                    data__bleeding__partners_item__classes = data__bleeding__partners_item["classes"]
                                    if not isinstance(data__bleeding__partners_item__classes, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners[{data__bleeding__partners_x}].classes".format(**locals()) + " must be array")
                                    data__bleeding__partners_item__classes_is_list = isinstance(data__bleeding__partners_item__classes, (list, tuple))
                                    if data__bleeding__partners_item__classes_is_list:
                                        data__bleeding__partners_item__classes_len = len(data__bleeding__partners_item__classes)
                                        if data__bleeding__partners_item__classes_len < 1:
                                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners[{data__bleeding__partners_x}].classes".format(**locals()) + " must contain at least 1 items")
                                        for data__bleeding__partners_item__classes_x, data__bleeding__partners_item__classes_item in enumerate(data__bleeding__partners_item__classes):
                                            if not isinstance(data__bleeding__partners_item__classes_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners[{data__bleeding__partners_x}].classes[{data__bleeding__partners_item__classes_x}]".format(**locals()) + " must be string")
                                if "drugs" in data__bleeding__partners_item_keys:
                                    data__bleeding__partners_item_keys.remove("drugs")
                                    data__bleeding__partners_item__drugs = data__bleeding__partners_item["drugs"]
                                    if not isinstance(data__bleeding__partners_item__drugs, (list, tuple)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners[{data__bleeding__partners_x}].drugs".format(**locals()) + " must be array")
                                    data__bleeding__partners_item__drugs_is_list = isinstance(data__bleeding__partners_item__drugs, (list, tuple))
                                    if data__bleeding__partners_item__drugs_is_list:
                                        data__bleeding__partners_item__drugs_len = len(data__bleeding__partners_item__drugs)
                                        for data__bleeding__partners_item__drugs_x, data__bleeding__partners_item__drugs_item in enumerate(data__bleeding__partners_item__drugs):
                                            if not isinstance(data__bleeding__partners_item__drugs_item, (str)):
                                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners[{data__bleeding__partners_x}].drugs[{data__bleeding__partners_item__drugs_x}]".format(**locals()) + " must be string")
                                if "severity" in data__bleeding__partners_item_keys:
                                    data__bleeding__partners_item_keys.remove("severity")
                                    data__bleeding__partners_item__severity = data__bleeding__partners_item["severity"]
                                    validate___definitions_severity(data__bleeding__partners_item__severity, custom_formats, (name_prefix or "data") + ".bleeding.partners[{data__bleeding__partners_x}].severity".format(**locals()))
                                if data__bleeding__partners_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding.partners[{data__bleeding__partners_x}]".format(**locals()) + " must not contain "+str(data__bleeding__partners_item_keys)+" properties")
                if "summary" in data__bleeding_keys:
                    data__bleeding_keys.remove("summary")
                    data__bleeding__summary = data__bleeding["summary"]
                    validate___definitions_text(data__bleeding__summary, custom_formats, (name_prefix or "data") + ".bleeding.summary")
                if "mechanism" in data__bleeding_keys:
                    data__bleeding_keys.remove("mechanism")
                    data__bleeding__mechanism = data__bleeding["mechanism"]
                    validate___definitions_text(data__bleeding__mechanism, custom_formats, (name_prefix or "data") + ".bleeding.mechanism")
                if "action" in data__bleeding_keys:
                    data__bleeding_keys.remove("action")
                    data__bleeding__action = data__bleeding["action"]
                    validate___definitions_text(data__bleeding__action, custom_formats, (name_prefix or "data") + ".bleeding.action")
                if "sources" in data__bleeding_keys:
                    data__bleeding_keys.remove("sources")
                    data__bleeding__sources = data__bleeding["sources"]
                    validate___definitions_sources(data__bleeding__sources, custom_formats, (name_prefix or "data") + ".bleeding.sources")
                if data__bleeding_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".bleeding must not contain "+str(data__bleeding_keys)+" properties")
        if "smoking" in data_keys:
            data_keys.remove("smoking")
            data__smoking = data["smoking"]
            if not isinstance(data__smoking, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".smoking must be object")
            data__smoking_is_dict = isinstance(data__smoking, dict)
            if data__smoking_is_dict:
                data__smoking__missing_keys = set(['id', 'ingredient']) - data__smoking.keys()
                if data__smoking__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".smoking must contain ")
                data__smoking_keys = set(data__smoking.keys())
                if "id" in data__smoking_keys:
                    data__smoking_keys.remove("id")
                    data__smoking__id = data__smoking["id"]
                    validate___definitions_id(data__smoking__id, custom_formats, (name_prefix or "data") + ".smoking.id")
                if "ingredient" in data__smoking_keys:
                    data__smoking_keys.remove("ingredient")
                    data__smoking__ingredient = data__smoking["ingredient"]
                    if not isinstance(data__smoking__ingredient, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".smoking.ingredient must be string")
                if data__smoking_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".smoking must not contain "+str(data__smoking_keys)+" properties")
        if "context" in data_keys:
            data_keys.remove("context")
            data__context = data["context"]
            if not isinstance(data__context, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".context must be object")
            data__context_is_dict = isinstance(data__context, dict)
            if data__context_is_dict:
                data__context__missing_keys = set(['dose_above_max', 'dose_above_usual_max', 'geriatric_dose', 'geriatric_note', 'below_min_age', 'pregnancy', 'lactation', 'renal', 'hepatic', 'allergy']) - data__context.keys()
                if data__context__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".context must contain ")
                data__context_keys = set(data__context.keys())
                if "dose_above_max" in data__context_keys:
                    data__context_keys.remove("dose_above_max")
                    data__context__doseabovemax = data__context["dose_above_max"]
                    validate___definitions_context_rule(data__context__doseabovemax, custom_formats, (name_prefix or "data") + ".context.dose_above_max")
                if "dose_above_usual_max" in data__context_keys:
                    data__context_keys.remove("dose_above_usual_max")
                    data__context__doseaboveusualmax = data__context["dose_above_usual_max"]
                    validate___definitions_context_rule(data__context__doseaboveusualmax, custom_formats, (name_prefix or "data") + ".context.dose_above_usual_max")
                if "geriatric_dose" in data__context_keys:
                    data__context_keys.remove("geriatric_dose")
                    data__context__geriatricdose = data__context["geriatric_dose"]
                    validate___definitions_context_rule(data__context__geriatricdose, custom_formats, (name_prefix or "data") + ".context.geriatric_dose")
                    data__context__geriatricdose_is_dict = isinstance(data__context__geriatricdose, dict)
                    if data__context__geriatricdose_is_dict:
                        data__context__geriatricdose__missing_keys = set(['age_years']) - data__context__geriatricdose.keys()
                        if data__context__geriatricdose__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".context.geriatric_dose must contain ")
                if "geriatric_note" in data__context_keys:
                    data__context_keys.remove("geriatric_note")
                    data__context__geriatricnote = data__context["geriatric_note"]
                    validate___definitions_context_rule(data__context__geriatricnote, custom_formats, (name_prefix or "data") + ".context.geriatric_note")
                    data__context__geriatricnote_is_dict = isinstance(data__context__geriatricnote, dict)
                    if data__context__geriatricnote_is_dict:
                        data__context__geriatricnote__missing_keys = set(['age_years', 'action']) - data__context__geriatricnote.keys()
                        if data__context__geriatricnote__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".context.geriatric_note must contain ")
                if "below_min_age" in data__context_keys:
                    data__context_keys.remove("below_min_age")
                    data__context__belowminage = data__context["below_min_age"]
                    validate___definitions_context_rule(data__context__belowminage, custom_formats, (name_prefix or "data") + ".context.below_min_age")
                if "pregnancy" in data__context_keys:
                    data__context_keys.remove("pregnancy")
                    data__context__pregnancy = data__context["pregnancy"]
                    validate___definitions_risk_rule(data__context__pregnancy, custom_formats, (name_prefix or "data") + ".context.pregnancy")
                if "lactation" in data__context_keys:
                    data__context_keys.remove("lactation")
                    data__context__lactation = data__context["lactation"]
                    validate___definitions_risk_rule(data__context__lactation, custom_formats, (name_prefix or "data") + ".context.lactation")
                if "renal" in data__context_keys:
                    data__context_keys.remove("renal")
                    data__context__renal = data__context["renal"]
                    validate___definitions_organ_rule(data__context__renal, custom_formats, (name_prefix or "data") + ".context.renal")
                if "hepatic" in data__context_keys:
                    data__context_keys.remove("hepatic")
                    data__context__hepatic = data__context["hepatic"]
                    validate___definitions_organ_rule(data__context__hepatic, custom_formats, (name_prefix or "data") + ".context.hepatic")
                if "allergy" in data__context_keys:
                    data__context_keys.remove("allergy")
                    data__context__allergy = data__context["allergy"]
                    validate___definitions_context_rule(data__context__allergy, custom_formats, (name_prefix or "data") + ".context.allergy")
                    data__context__allergy_is_dict = isinstance(data__context__allergy, dict)
                    if data__context__allergy_is_dict:
                        data__context__allergy__missing_keys = set(['mechanism', 'action', 'cross_action']) - data__context__allergy.keys()
                        if data__context__allergy__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".context.allergy must contain ")
                        data__context__allergy_keys = set(data__context__allergy.keys())
                        if "cross_action" in data__context__allergy_keys:
                            data__context__allergy_keys.remove("cross_action")
                            data__context__allergy__crossaction = data__context__allergy["cross_action"]
                            validate___definitions_text(data__context__allergy__crossaction, custom_formats, (name_prefix or "data") + ".context.allergy.cross_action")
                if data__context_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".context must not contain "+str(data__context_keys)+" properties")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_organ_rule(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'avoid_severity', 'above_max_severity', 'adjust_severity', 'summary', 'mechanism']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate___definitions_id(data__id, custom_formats, (name_prefix or "data") + ".id")
        if "avoid_severity" in data_keys:
            data_keys.remove("avoid_severity")
            data__avoidseverity = data["avoid_severity"]
            validate___definitions_severity(data__avoidseverity, custom_formats, (name_prefix or "data") + ".avoid_severity")
        if "above_max_severity" in data_keys:
            data_keys.remove("above_max_severity")
            data__abovemaxseverity = data["above_max_severity"]
            validate___definitions_severity(data__abovemaxseverity, custom_formats, (name_prefix or "data") + ".above_max_severity")
        if "adjust_severity" in data_keys:
            data_keys.remove("adjust_severity")
            data__adjustseverity = data["adjust_severity"]
            validate___definitions_severity(data__adjustseverity, custom_formats, (name_prefix or "data") + ".adjust_severity")
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            validate___definitions_text(data__summary, custom_formats, (name_prefix or "data") + ".summary")
        if "mechanism" in data_keys:
            data_keys.remove("mechanism")
            data__mechanism = data["mechanism"]
            validate___definitions_text(data__mechanism, custom_formats, (name_prefix or "data") + ".mechanism")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_risk_rule(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'severity', 'summary', 'action']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate___definitions_id(data__id, custom_formats, (name_prefix or "data") + ".id")
        if "severity" in data_keys:
            data_keys.remove("severity")
            data__severity = data["severity"]
            if not isinstance(data__severity, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".severity must be object")
            data__severity_is_dict = isinstance(data__severity, dict)
            if data__severity_is_dict:
                data__severity__missing_keys = set(['contraindicated', 'avoid', 'caution']) - data__severity.keys()
                if data__severity__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".severity must contain ")
                data__severity_keys = set(data__severity.keys())
                if "contraindicated" in data__severity_keys:
                    data__severity_keys.remove("contraindicated")
                    data__severity__contraindicated = data__severity["contraindicated"]
                    validate___definitions_severity(data__severity__contraindicated, custom_formats, (name_prefix or "data") + ".severity.contraindicated")
                if "avoid" in data__severity_keys:
                    data__severity_keys.remove("avoid")
                    data__severity__avoid = data__severity["avoid"]
                    validate___definitions_severity(data__severity__avoid, custom_formats, (name_prefix or "data") + ".severity.avoid")
                if "caution" in data__severity_keys:
                    data__severity_keys.remove("caution")
                    data__severity__caution = data__severity["caution"]
                    validate___definitions_severity(data__severity__caution, custom_formats, (name_prefix or "data") + ".severity.caution")
                if data__severity_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".severity must not contain "+str(data__severity_keys)+" properties")
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            validate___definitions_text(data__summary, custom_formats, (name_prefix or "data") + ".summary")
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
            if not isinstance(data__action, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".action must be object")
            data__action_is_dict = isinstance(data__action, dict)
            if data__action_is_dict:
                data__action__missing_keys = set(['contraindicated', 'avoid', 'caution']) - data__action.keys()
                if data__action__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".action must contain ")
                data__action_keys = set(data__action.keys())
                if "contraindicated" in data__action_keys:
                    data__action_keys.remove("contraindicated")
                    data__action__contraindicated = data__action["contraindicated"]
                    validate___definitions_text(data__action__contraindicated, custom_formats, (name_prefix or "data") + ".action.contraindicated")
                if "avoid" in data__action_keys:
                    data__action_keys.remove("avoid")
                    data__action__avoid = data__action["avoid"]
                    validate___definitions_text(data__action__avoid, custom_formats, (name_prefix or "data") + ".action.avoid")
                if "caution" in data__action_keys:
                    data__action_keys.remove("caution")
                    data__action__caution = data__action["caution"]
                    validate___definitions_text(data__action__caution, custom_formats, (name_prefix or "data") + ".action.caution")
                if data__action_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".action must not contain "+str(data__action_keys)+" properties")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_context_rule(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'severity', 'summary']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate___definitions_id(data__id, custom_formats, (name_prefix or "data") + ".id")
        if "severity" in data_keys:
            data_keys.remove("severity")
            data__severity = data["severity"]
            validate___definitions_severity(data__severity, custom_formats, (name_prefix or "data") + ".severity")
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            validate___definitions_text(data__summary, custom_formats, (name_prefix or "data") + ".summary")
        if "mechanism" in data_keys:
            data_keys.remove("mechanism")
            data__mechanism = data["mechanism"]
            validate___definitions_text(data__mechanism, custom_formats, (name_prefix or "data") + ".mechanism")
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
            validate___definitions_text(data__action, custom_formats, (name_prefix or "data") + ".action")
        if "age_years" in data_keys:
            data_keys.remove("age_years")
            data__ageyears = data["age_years"]
            if not isinstance(data__ageyears, (int, float, Decimal)) or isinstance(data__ageyears, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".age_years must be number")
            if isinstance(data__ageyears, (int, float, Decimal)) and not isinstance(data__ageyears, bool):
                if data__ageyears < 0:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".age_years must be bigger than or equal to 0")
    return data

def validate___definitions_sources(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (list, tuple)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be array")
    data_is_list = isinstance(data, (list, tuple))
    if data_is_list:
        data_len = len(data)
        if data_len < 1:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain at least 1 items")
        for data_x, data_item in enumerate(data):
            if not isinstance(data_item, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be string")
            if isinstance(data_item, str):
                data_item_len = len(data_item)
                if data_item_len < 8:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + "[{data_x}]".format(**locals()) + " must be longer than or equal to 8 characters")
    return data

def validate___definitions_family(data, custom_formats={}, name_prefix=None):
    if not (isinstance(data, str) and data == 'cyp' or isinstance(data, str) and data == 'serotonergic' or isinstance(data, str) and data == 'pressor' or isinstance(data, str) and data == 'qt' or isinstance(data, str) and data == 'cns' or isinstance(data, str) and data == 'anticholinergic' or isinstance(data, str) and data == 'seizure' or isinstance(data, str) and data == 'bleeding'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['cyp', 'serotonergic', 'pressor', 'qt', 'cns', 'anticholinergic', 'seizure', 'bleeding']")
    return data

def validate___definitions_id(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        if not REGEX_PATTERNS['^[a-z0-9][a-z0-9\\-]*$'].search(data):
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must match pattern ^[a-z0-9][a-z0-9\\-]*$")
    return data

def validate___definitions_selector(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "drugs" in data_keys:
            data_keys.remove("drugs")
            data__drugs = data["drugs"]
            if not isinstance(data__drugs, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".drugs must be array")
            data__drugs_is_list = isinstance(data__drugs, (list, tuple))
            if data__drugs_is_list:
                data__drugs_len = len(data__drugs)
                for data__drugs_x, data__drugs_item in enumerate(data__drugs):
                    if not isinstance(data__drugs_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".drugs[{data__drugs_x}]".format(**locals()) + " must be string")
        if "classes" in data_keys:
            data_keys.remove("classes")
            data__classes = data["classes"]
            if not isinstance(data__classes, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes must be array")
            data__classes_is_list = isinstance(data__classes, (list, tuple))
            if data__classes_is_list:
                data__classes_len = len(data__classes)
                for data__classes_x, data__classes_item in enumerate(data__classes):
                    if not isinstance(data__classes_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes[{data__classes_x}]".format(**locals()) + " must be string")
        if "except" in data_keys:
            data_keys.remove("except")
            data__except = data["except"]
            if not isinstance(data__except, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".except must be array")
            data__except_is_list = isinstance(data__except, (list, tuple))
            if data__except_is_list:
                data__except_len = len(data__except)
                for data__except_x, data__except_item in enumerate(data__except):
                    if not isinstance(data__except_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".except[{data__except_x}]".format(**locals()) + " must be string")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_text(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 3:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 3 characters")
    return data

def validate___definitions_severity(data, custom_formats={}, name_prefix=None):
    if not (isinstance(data, str) and data == 'contraindicated' or isinstance(data, str) and data == 'major' or isinstance(data, str) and data == 'moderate' or isinstance(data, str) and data == 'minor'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['contraindicated', 'major', 'moderate', 'minor']")
    return data

def validate___definitions_level(data, custom_formats={}, name_prefix=None):
    if not (isinstance(data, str) and data == 'none' or isinstance(data, str) and data == 'low' or isinstance(data, str) and data == 'moderate' or isinstance(data, str) and data == 'high'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['none', 'low', 'moderate', 'high']")
    return data

def validate___definitions_simple_rule(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'family', 'severity', 'summary', 'mechanism', 'action', 'sources']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate___definitions_id(data__id, custom_formats, (name_prefix or "data") + ".id")
        if "family" in data_keys:
            data_keys.remove("family")
            data__family = data["family"]
            validate___definitions_family(data__family, custom_formats, (name_prefix or "data") + ".family")
        if "severity" in data_keys:
            data_keys.remove("severity")
            data__severity = data["severity"]
            validate___definitions_severity(data__severity, custom_formats, (name_prefix or "data") + ".severity")
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            validate___definitions_text(data__summary, custom_formats, (name_prefix or "data") + ".summary")
        if "mechanism" in data_keys:
            data_keys.remove("mechanism")
            data__mechanism = data["mechanism"]
            validate___definitions_text(data__mechanism, custom_formats, (name_prefix or "data") + ".mechanism")
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
            validate___definitions_text(data__action, custom_formats, (name_prefix or "data") + ".action")
        if "sources" in data_keys:
            data_keys.remove("sources")
            data__sources = data["sources"]
            validate___definitions_sources(data__sources, custom_formats, (name_prefix or "data") + ".sources")
    return data

def validate___definitions_enzyme_rule(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['id', 'family', 'severity', 'summary', 'mechanism', 'action', 'sources']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "id" in data_keys:
            data_keys.remove("id")
            data__id = data["id"]
            validate___definitions_id(data__id, custom_formats, (name_prefix or "data") + ".id")
        if "family" in data_keys:
            data_keys.remove("family")
            data__family = data["family"]
            validate___definitions_family(data__family, custom_formats, (name_prefix or "data") + ".family")
        if "severity" in data_keys:
            data_keys.remove("severity")
            data__severity = data["severity"]
            if not isinstance(data__severity, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".severity must be object")
            data__severity_is_dict = isinstance(data__severity, dict)
            if data__severity_is_dict:
                data__severity_keys = set(data__severity.keys())
                if "strong" in data__severity_keys:
                    data__severity_keys.remove("strong")
                    data__severity__strong = data__severity["strong"]
                    validate___definitions_role_severity(data__severity__strong, custom_formats, (name_prefix or "data") + ".severity.strong")
                if "moderate" in data__severity_keys:
                    data__severity_keys.remove("moderate")
                    data__severity__moderate = data__severity["moderate"]
                    validate___definitions_role_severity(data__severity__moderate, custom_formats, (name_prefix or "data") + ".severity.moderate")
                if "weak" in data__severity_keys:
                    data__severity_keys.remove("weak")
                    data__severity__weak = data__severity["weak"]
                    validate___definitions_role_severity(data__severity__weak, custom_formats, (name_prefix or "data") + ".severity.weak")
                if data__severity_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".severity must not contain "+str(data__severity_keys)+" properties")
        if "summary" in data_keys:
            data_keys.remove("summary")
            data__summary = data["summary"]
            validate___definitions_text(data__summary, custom_formats, (name_prefix or "data") + ".summary")
        if "mechanism" in data_keys:
            data_keys.remove("mechanism")
            data__mechanism = data["mechanism"]
            validate___definitions_text(data__mechanism, custom_formats, (name_prefix or "data") + ".mechanism")
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
            validate___definitions_text(data__action, custom_formats, (name_prefix or "data") + ".action")
        if "sources" in data_keys:
            data_keys.remove("sources")
            data__sources = data["sources"]
            validate___definitions_sources(data__sources, custom_formats, (name_prefix or "data") + ".sources")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_role_severity(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data_keys = set(data.keys())
        if "sensitive" in data_keys:
            data_keys.remove("sensitive")
            data__sensitive = data["sensitive"]
            validate___definitions_severity(data__sensitive, custom_formats, (name_prefix or "data") + ".sensitive")
        if "major" in data_keys:
            data_keys.remove("major")
            data__major = data["major"]
            validate___definitions_severity(data__major, custom_formats, (name_prefix or "data") + ".major")
        if "minor" in data_keys:
            data_keys.remove("minor")
            data__minor = data["minor"]
            validate___definitions_severity(data__minor, custom_formats, (name_prefix or "data") + ".minor")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data
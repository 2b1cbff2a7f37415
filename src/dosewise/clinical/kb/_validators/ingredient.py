# Generated from schema/ingredient.schema.json by build_validators; do not edit.
# ruff: noqa
SCHEMA_SHA256 = '133b3508bf592e7498775c92e6cc52ad0e58f01535cda172c957dd50b5706ae2'
VERSION = "2.22.3"
from decimal import Decimal
import re
from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException


REGEX_PATTERNS = {
    '^[a-z][a-z0-9 \\-/]*$': re.compile('^[a-z][a-z0-9 \\-/]*\\Z'),
    '^[0-9]+$': re.compile('^[0-9]+\\Z'),
    '^[a-z0-9\\-]+$': re.compile('^[a-z0-9\\-]+\\Z')
}

NoneType = type(None)

def validate(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['name', 'rxcui', 'synonyms', 'brands', 'classes', 'psychotropic', 'properties', 'metabolism', 'dose', 'pregnancy', 'lactation', 'boxed_warnings', 'half_life', 'strengths_mg', 'liquid', 'controlled_schedule', 'sources']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "name" in data_keys:
            data_keys.remove("name")
            data__name = data["name"]
            if not isinstance(data__name, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must be string")
            if isinstance(data__name, str):
                if not REGEX_PATTERNS['^[a-z][a-z0-9 \\-/]*$'].search(data__name):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".name must match pattern ^[a-z][a-z0-9 \\-/]*$")
        if "rxcui" in data_keys:
            data_keys.remove("rxcui")
            data__rxcui = data["rxcui"]
            if not isinstance(data__rxcui, (str, NoneType)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".rxcui must be string or null")
            if isinstance(data__rxcui, str):
                if not REGEX_PATTERNS['^[0-9]+$'].search(data__rxcui):
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".rxcui must match pattern ^[0-9]+$")
        if "synonyms" in data_keys:
            data_keys.remove("synonyms")
            data__synonyms = data["synonyms"]
            if not isinstance(data__synonyms, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".synonyms must be array")
            data__synonyms_is_list = isinstance(data__synonyms, (list, tuple))
            if data__synonyms_is_list:
                data__synonyms_len = len(data__synonyms)
                for data__synonyms_x, data__synonyms_item in enumerate(data__synonyms):
                    if not isinstance(data__synonyms_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".synonyms[{data__synonyms_x}]".format(**locals()) + " must be string")
        if "brands" in data_keys:
            data_keys.remove("brands")
            data__brands = data["brands"]
            if not isinstance(data__brands, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".brands must be array")
            data__brands_is_list = isinstance(data__brands, (list, tuple))
            if data__brands_is_list:
                data__brands_len = len(data__brands)
                for data__brands_x, data__brands_item in enumerate(data__brands):
                    if not isinstance(data__brands_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".brands[{data__brands_x}]".format(**locals()) + " must be string")
        if "classes" in data_keys:
            data_keys.remove("classes")
            data__classes = data["classes"]
            if not isinstance(data__classes, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes must be array")
            data__classes_is_list = isinstance(data__classes, (list, tuple))
            if data__classes_is_list:
                data__classes_len = len(data__classes)
                if data__classes_len < 1:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes must contain at least 1 items")
                for data__classes_x, data__classes_item in enumerate(data__classes):
                    if not isinstance(data__classes_item, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes[{data__classes_x}]".format(**locals()) + " must be string")
                    if isinstance(data__classes_item, str):
                        if not REGEX_PATTERNS['^[a-z0-9\\-]+$'].search(data__classes_item):
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".classes[{data__classes_x}]".format(**locals()) + " must match pattern ^[a-z0-9\\-]+$")
        if "psychotropic" in data_keys:
            data_keys.remove("psychotropic")
            data__psychotropic = data["psychotropic"]
            if not isinstance(data__psychotropic, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".psychotropic must be boolean")
        if "properties" in data_keys:
            data_keys.remove("properties")
            data__properties = data["properties"]
            if not isinstance(data__properties, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties must be object")
            data__properties_is_dict = isinstance(data__properties, dict)
            if data__properties_is_dict:
                data__properties__missing_keys = set(['serotonergic', 'maoi', 'qt_risk', 'cns_depressant', 'anticholinergic_burden', 'lowers_seizure_threshold', 'bleeding_risk', 'sympathomimetic', 'source']) - data__properties.keys()
                if data__properties__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties must contain ")
                data__properties_keys = set(data__properties.keys())
                if "serotonergic" in data__properties_keys:
                    data__properties_keys.remove("serotonergic")
                    data__properties__serotonergic = data__properties["serotonergic"]
                    validate___definitions_level(data__properties__serotonergic, custom_formats, (name_prefix or "data") + ".properties.serotonergic")
                if "maoi" in data__properties_keys:
                    data__properties_keys.remove("maoi")
                    data__properties__maoi = data__properties["maoi"]
                    if not (data__properties__maoi is None or isinstance(data__properties__maoi, str) and data__properties__maoi == 'irreversible-nonselective' or isinstance(data__properties__maoi, str) and data__properties__maoi == 'selective-mao-b' or isinstance(data__properties__maoi, str) and data__properties__maoi == 'reversible'):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties.maoi must be one of [None, 'irreversible-nonselective', 'selective-mao-b', 'reversible']")
                if "qt_risk" in data__properties_keys:
                    data__properties_keys.remove("qt_risk")
                    data__properties__qtrisk = data__properties["qt_risk"]
                    validate___definitions_level(data__properties__qtrisk, custom_formats, (name_prefix or "data") + ".properties.qt_risk")
                if "cns_depressant" in data__properties_keys:
                    data__properties_keys.remove("cns_depressant")
                    data__properties__cnsdepressant = data__properties["cns_depressant"]
                    validate___definitions_level(data__properties__cnsdepressant, custom_formats, (name_prefix or "data") + ".properties.cns_depressant")
                if "anticholinergic_burden" in data__properties_keys:
                    data__properties_keys.remove("anticholinergic_burden")
                    data__properties__anticholinergicburden = data__properties["anticholinergic_burden"]
                    if not isinstance(data__properties__anticholinergicburden, (int)) and not (isinstance(data__properties__anticholinergicburden, float) and data__properties__anticholinergicburden.is_integer()) or isinstance(data__properties__anticholinergicburden, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties.anticholinergic_burden must be integer")
                    if isinstance(data__properties__anticholinergicburden, (int, float, Decimal)) and not isinstance(data__properties__anticholinergicburden, bool):
                        if data__properties__anticholinergicburden < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties.anticholinergic_burden must be bigger than or equal to 0")
                        if data__properties__anticholinergicburden > 3:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties.anticholinergic_burden must be smaller than or equal to 3")
                if "lowers_seizure_threshold" in data__properties_keys:
                    data__properties_keys.remove("lowers_seizure_threshold")
                    data__properties__lowersseizurethreshold = data__properties["lowers_seizure_threshold"]
                    if not isinstance(data__properties__lowersseizurethreshold, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties.lowers_seizure_threshold must be boolean")
                if "bleeding_risk" in data__properties_keys:
                    data__properties_keys.remove("bleeding_risk")
                    data__properties__bleedingrisk = data__properties["bleeding_risk"]
                    if not isinstance(data__properties__bleedingrisk, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties.bleeding_risk must be boolean")
                if "sympathomimetic" in data__properties_keys:
                    data__properties_keys.remove("sympathomimetic")
                    data__properties__sympathomimetic = data__properties["sympathomimetic"]
                    if not isinstance(data__properties__sympathomimetic, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties.sympathomimetic must be boolean")
                if "source" in data__properties_keys:
                    data__properties_keys.remove("source")
                    data__properties__source = data__properties["source"]
                    validate___definitions_source(data__properties__source, custom_formats, (name_prefix or "data") + ".properties.source")
                if data__properties_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".properties must not contain "+str(data__properties_keys)+" properties")
        if "metabolism" in data_keys:
            data_keys.remove("metabolism")
            data__metabolism = data["metabolism"]
            if not isinstance(data__metabolism, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".metabolism must be object")
            data__metabolism_is_dict = isinstance(data__metabolism, dict)
            if data__metabolism_is_dict:
                data__metabolism__missing_keys = set(['substrate', 'inhibits', 'induces', 'source']) - data__metabolism.keys()
                if data__metabolism__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".metabolism must contain ")
                data__metabolism_keys = set(data__metabolism.keys())
                if "substrate" in data__metabolism_keys:
                    data__metabolism_keys.remove("substrate")
                    data__metabolism__substrate = data__metabolism["substrate"]
                    if not isinstance(data__metabolism__substrate, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".metabolism.substrate must be object")
                    data__metabolism__substrate_is_dict = isinstance(data__metabolism__substrate, dict)
                    if data__metabolism__substrate_is_dict:
                        data__metabolism__substrate_keys = set(data__metabolism__substrate.keys())
                        for data__metabolism__substrate_key in data__metabolism__substrate_keys:
                            if data__metabolism__substrate_key not in []:
                                data__metabolism__substrate_value = data__metabolism__substrate.get(data__metabolism__substrate_key)
                                if not (isinstance(data__metabolism__substrate_value, str) and data__metabolism__substrate_value == 'sensitive' or isinstance(data__metabolism__substrate_value, str) and data__metabolism__substrate_value == 'major' or isinstance(data__metabolism__substrate_value, str) and data__metabolism__substrate_value == 'minor'):
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".metabolism.substrate.{data__metabolism__substrate_key}".format(**locals()) + " must be one of ['sensitive', 'major', 'minor']")
                if "inhibits" in data__metabolism_keys:
                    data__metabolism_keys.remove("inhibits")
                    data__metabolism__inhibits = data__metabolism["inhibits"]
                    if not isinstance(data__metabolism__inhibits, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".metabolism.inhibits must be object")
                    data__metabolism__inhibits_is_dict = isinstance(data__metabolism__inhibits, dict)
                    if data__metabolism__inhibits_is_dict:
                        data__metabolism__inhibits_keys = set(data__metabolism__inhibits.keys())
                        for data__metabolism__inhibits_key in data__metabolism__inhibits_keys:
                            if data__metabolism__inhibits_key not in []:
                                data__metabolism__inhibits_value = data__metabolism__inhibits.get(data__metabolism__inhibits_key)
                                validate___definitions_strength(data__metabolism__inhibits_value, custom_formats, (name_prefix or "data") + ".metabolism.inhibits.{data__metabolism__inhibits_key}".format(**locals()))
                if "induces" in data__metabolism_keys:
                    data__metabolism_keys.remove("induces")
                    data__metabolism__induces = data__metabolism["induces"]
                    if not isinstance(data__metabolism__induces, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".metabolism.induces must be object")
                    data__metabolism__induces_is_dict = isinstance(data__metabolism__induces, dict)
                    if data__metabolism__induces_is_dict:
                        data__metabolism__induces_keys = set(data__metabolism__induces.keys())
                        for data__metabolism__induces_key in data__metabolism__induces_keys:
                            if data__metabolism__induces_key not in []:
                                data__metabolism__induces_value = data__metabolism__induces.get(data__metabolism__induces_key)
                                validate___definitions_strength(data__metabolism__induces_value, custom_formats, (name_prefix or "data") + ".metabolism.induces.{data__metabolism__induces_key}".format(**locals()))
                if "source" in data__metabolism_keys:
                    data__metabolism_keys.remove("source")
                    data__metabolism__source = data__metabolism["source"]
                    validate___definitions_source(data__metabolism__source, custom_formats, (name_prefix or "data") + ".metabolism.source")
                if data__metabolism_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".metabolism must not contain "+str(data__metabolism_keys)+" properties")
        if "dose" in data_keys:
            data_keys.remove("dose")
            data__dose = data["dose"]
            if not isinstance(data__dose, (dict, NoneType)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose must be object or null")
            data__dose_is_dict = isinstance(data__dose, dict)
            if data__dose_is_dict:
                data__dose__missing_keys = set(['start_mg', 'usual_min_mg', 'usual_max_mg', 'max_mg', 'source']) - data__dose.keys()
                if data__dose__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose must contain ")
                data__dose_keys = set(data__dose.keys())
                if "start_mg" in data__dose_keys:
                    data__dose_keys.remove("start_mg")
                    data__dose__startmg = data__dose["start_mg"]
                    if not isinstance(data__dose__startmg, (int, float, Decimal)) or isinstance(data__dose__startmg, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.start_mg must be number")
                    if isinstance(data__dose__startmg, (int, float, Decimal)) and not isinstance(data__dose__startmg, bool):
                        if data__dose__startmg < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.start_mg must be bigger than or equal to 0")
                if "usual_min_mg" in data__dose_keys:
                    data__dose_keys.remove("usual_min_mg")
                    data__dose__usualminmg = data__dose["usual_min_mg"]
                    if not isinstance(data__dose__usualminmg, (int, float, Decimal)) or isinstance(data__dose__usualminmg, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.usual_min_mg must be number")
                    if isinstance(data__dose__usualminmg, (int, float, Decimal)) and not isinstance(data__dose__usualminmg, bool):
                        if data__dose__usualminmg < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.usual_min_mg must be bigger than or equal to 0")
                if "usual_max_mg" in data__dose_keys:
                    data__dose_keys.remove("usual_max_mg")
                    data__dose__usualmaxmg = data__dose["usual_max_mg"]
                    if not isinstance(data__dose__usualmaxmg, (int, float, Decimal)) or isinstance(data__dose__usualmaxmg, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.usual_max_mg must be number")
                    if isinstance(data__dose__usualmaxmg, (int, float, Decimal)) and not isinstance(data__dose__usualmaxmg, bool):
                        if data__dose__usualmaxmg < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.usual_max_mg must be bigger than or equal to 0")
                if "max_mg" in data__dose_keys:
                    data__dose_keys.remove("max_mg")
                    data__dose__maxmg = data__dose["max_mg"]
                    if not isinstance(data__dose__maxmg, (int, float, Decimal)) or isinstance(data__dose__maxmg, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.max_mg must be number")
                    if isinstance(data__dose__maxmg, (int, float, Decimal)) and not isinstance(data__dose__maxmg, bool):
                        if data__dose__maxmg <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.max_mg must be bigger than 0")
                if "indication" in data__dose_keys:
                    data__dose_keys.remove("indication")
                    data__dose__indication = data__dose["indication"]
                    if not isinstance(data__dose__indication, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.indication must be string")
                if "geriatric_max_mg" in data__dose_keys:
                    data__dose_keys.remove("geriatric_max_mg")
                    data__dose__geriatricmaxmg = data__dose["geriatric_max_mg"]
                    if not isinstance(data__dose__geriatricmaxmg, (int, float, Decimal)) or isinstance(data__dose__geriatricmaxmg, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.geriatric_max_mg must be number")
                    if isinstance(data__dose__geriatricmaxmg, (int, float, Decimal)) and not isinstance(data__dose__geriatricmaxmg, bool):
                        if data__dose__geriatricmaxmg <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.geriatric_max_mg must be bigger than 0")
                if "hepatic" in data__dose_keys:
                    data__dose_keys.remove("hepatic")
                    data__dose__hepatic = data__dose["hepatic"]
                    if not isinstance(data__dose__hepatic, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.hepatic must be object")
                    data__dose__hepatic_is_dict = isinstance(data__dose__hepatic, dict)
                    if data__dose__hepatic_is_dict:
                        data__dose__hepatic_keys = set(data__dose__hepatic.keys())
                        if "B" in data__dose__hepatic_keys:
                            data__dose__hepatic_keys.remove("B")
                            data__dose__hepatic__B = data__dose__hepatic["B"]
                            validate___definitions_organ_rule(data__dose__hepatic__B, custom_formats, (name_prefix or "data") + ".dose.hepatic.B")
                        if "C" in data__dose__hepatic_keys:
                            data__dose__hepatic_keys.remove("C")
                            data__dose__hepatic__C = data__dose__hepatic["C"]
                            validate___definitions_organ_rule(data__dose__hepatic__C, custom_formats, (name_prefix or "data") + ".dose.hepatic.C")
                        if "A" in data__dose__hepatic_keys:
                            data__dose__hepatic_keys.remove("A")
                            data__dose__hepatic__A = data__dose__hepatic["A"]
                            validate___definitions_organ_rule(data__dose__hepatic__A, custom_formats, (name_prefix or "data") + ".dose.hepatic.A")
                        if data__dose__hepatic_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.hepatic must not contain "+str(data__dose__hepatic_keys)+" properties")
                if "renal" in data__dose_keys:
                    data__dose_keys.remove("renal")
                    data__dose__renal = data__dose["renal"]
                    if not isinstance(data__dose__renal, (list, tuple)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.renal must be array")
                    data__dose__renal_is_list = isinstance(data__dose__renal, (list, tuple))
                    if data__dose__renal_is_list:
                        data__dose__renal_len = len(data__dose__renal)
                        for data__dose__renal_x, data__dose__renal_item in enumerate(data__dose__renal):
                            if not isinstance(data__dose__renal_item, (dict)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.renal[{data__dose__renal_x}]".format(**locals()) + " must be object")
                            data__dose__renal_item_is_dict = isinstance(data__dose__renal_item, dict)
                            if data__dose__renal_item_is_dict:
                                data__dose__renal_item__missing_keys = set(['egfr_below', 'action', 'source']) - data__dose__renal_item.keys()
                                if data__dose__renal_item__missing_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.renal[{data__dose__renal_x}]".format(**locals()) + " must contain ")
                                data__dose__renal_item_keys = set(data__dose__renal_item.keys())
                                if "egfr_below" in data__dose__renal_item_keys:
                                    data__dose__renal_item_keys.remove("egfr_below")
                                    data__dose__renal_item__egfrbelow = data__dose__renal_item["egfr_below"]
                                    if not isinstance(data__dose__renal_item__egfrbelow, (int, float, Decimal)) or isinstance(data__dose__renal_item__egfrbelow, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.renal[{data__dose__renal_x}].egfr_below".format(**locals()) + " must be number")
                                if "max_mg" in data__dose__renal_item_keys:
                                    data__dose__renal_item_keys.remove("max_mg")
                                    data__dose__renal_item__maxmg = data__dose__renal_item["max_mg"]
                                    if not isinstance(data__dose__renal_item__maxmg, (int, float, Decimal, NoneType)) or isinstance(data__dose__renal_item__maxmg, bool):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.renal[{data__dose__renal_x}].max_mg".format(**locals()) + " must be number or null")
                                if "avoid" in data__dose__renal_item_keys:
                                    data__dose__renal_item_keys.remove("avoid")
                                    data__dose__renal_item__avoid = data__dose__renal_item["avoid"]
                                    if not isinstance(data__dose__renal_item__avoid, (bool)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.renal[{data__dose__renal_x}].avoid".format(**locals()) + " must be boolean")
                                if "action" in data__dose__renal_item_keys:
                                    data__dose__renal_item_keys.remove("action")
                                    data__dose__renal_item__action = data__dose__renal_item["action"]
                                    if not isinstance(data__dose__renal_item__action, (str)):
                                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.renal[{data__dose__renal_x}].action".format(**locals()) + " must be string")
                                if "source" in data__dose__renal_item_keys:
                                    data__dose__renal_item_keys.remove("source")
                                    data__dose__renal_item__source = data__dose__renal_item["source"]
                                    validate___definitions_source(data__dose__renal_item__source, custom_formats, (name_prefix or "data") + ".dose.renal[{data__dose__renal_x}].source".format(**locals()))
                                if data__dose__renal_item_keys:
                                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.renal[{data__dose__renal_x}]".format(**locals()) + " must not contain "+str(data__dose__renal_item_keys)+" properties")
                if "min_age_years" in data__dose_keys:
                    data__dose_keys.remove("min_age_years")
                    data__dose__minageyears = data__dose["min_age_years"]
                    if not isinstance(data__dose__minageyears, (int, float, Decimal)) or isinstance(data__dose__minageyears, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose.min_age_years must be number")
                if "source" in data__dose_keys:
                    data__dose_keys.remove("source")
                    data__dose__source = data__dose["source"]
                    validate___definitions_source(data__dose__source, custom_formats, (name_prefix or "data") + ".dose.source")
                if data__dose_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".dose must not contain "+str(data__dose_keys)+" properties")
        if "pregnancy" in data_keys:
            data_keys.remove("pregnancy")
            data__pregnancy = data["pregnancy"]
            validate___definitions_repro(data__pregnancy, custom_formats, (name_prefix or "data") + ".pregnancy")
        if "lactation" in data_keys:
            data_keys.remove("lactation")
            data__lactation = data["lactation"]
            validate___definitions_repro(data__lactation, custom_formats, (name_prefix or "data") + ".lactation")
        if "boxed_warnings" in data_keys:
            data_keys.remove("boxed_warnings")
            data__boxedwarnings = data["boxed_warnings"]
            if not isinstance(data__boxedwarnings, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".boxed_warnings must be array")
            data__boxedwarnings_is_list = isinstance(data__boxedwarnings, (list, tuple))
            if data__boxedwarnings_is_list:
                data__boxedwarnings_len = len(data__boxedwarnings)
                for data__boxedwarnings_x, data__boxedwarnings_item in enumerate(data__boxedwarnings):
                    if not isinstance(data__boxedwarnings_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".boxed_warnings[{data__boxedwarnings_x}]".format(**locals()) + " must be object")
                    data__boxedwarnings_item_is_dict = isinstance(data__boxedwarnings_item, dict)
                    if data__boxedwarnings_item_is_dict:
                        data__boxedwarnings_item__missing_keys = set(['topic', 'text', 'source']) - data__boxedwarnings_item.keys()
                        if data__boxedwarnings_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".boxed_warnings[{data__boxedwarnings_x}]".format(**locals()) + " must contain ")
                        data__boxedwarnings_item_keys = set(data__boxedwarnings_item.keys())
                        if "topic" in data__boxedwarnings_item_keys:
                            data__boxedwarnings_item_keys.remove("topic")
                            data__boxedwarnings_item__topic = data__boxedwarnings_item["topic"]
                            if not isinstance(data__boxedwarnings_item__topic, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".boxed_warnings[{data__boxedwarnings_x}].topic".format(**locals()) + " must be string")
                        if "text" in data__boxedwarnings_item_keys:
                            data__boxedwarnings_item_keys.remove("text")
                            data__boxedwarnings_item__text = data__boxedwarnings_item["text"]
                            if not isinstance(data__boxedwarnings_item__text, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".boxed_warnings[{data__boxedwarnings_x}].text".format(**locals()) + " must be string")
                        if "source" in data__boxedwarnings_item_keys:
                            data__boxedwarnings_item_keys.remove("source")
                            data__boxedwarnings_item__source = data__boxedwarnings_item["source"]
                            validate___definitions_source(data__boxedwarnings_item__source, custom_formats, (name_prefix or "data") + ".boxed_warnings[{data__boxedwarnings_x}].source".format(**locals()))
                        if data__boxedwarnings_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".boxed_warnings[{data__boxedwarnings_x}]".format(**locals()) + " must not contain "+str(data__boxedwarnings_item_keys)+" properties")
        if "half_life" in data_keys:
            data_keys.remove("half_life")
            data__halflife = data["half_life"]
            if not isinstance(data__halflife, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".half_life must be object")
            data__halflife_is_dict = isinstance(data__halflife, dict)
            if data__halflife_is_dict:
                data__halflife__missing_keys = set(['hours', 'source']) - data__halflife.keys()
                if data__halflife__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".half_life must contain ")
                data__halflife_keys = set(data__halflife.keys())
                if "hours" in data__halflife_keys:
                    data__halflife_keys.remove("hours")
                    data__halflife__hours = data__halflife["hours"]
                    if not isinstance(data__halflife__hours, (int, float, Decimal)) or isinstance(data__halflife__hours, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".half_life.hours must be number")
                    if isinstance(data__halflife__hours, (int, float, Decimal)) and not isinstance(data__halflife__hours, bool):
                        if data__halflife__hours <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".half_life.hours must be bigger than 0")
                if "active_metabolite_hours" in data__halflife_keys:
                    data__halflife_keys.remove("active_metabolite_hours")
                    data__halflife__activemetabolitehours = data__halflife["active_metabolite_hours"]
                    if not isinstance(data__halflife__activemetabolitehours, (int, float, Decimal)) or isinstance(data__halflife__activemetabolitehours, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".half_life.active_metabolite_hours must be number")
                    if isinstance(data__halflife__activemetabolitehours, (int, float, Decimal)) and not isinstance(data__halflife__activemetabolitehours, bool):
                        if data__halflife__activemetabolitehours <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".half_life.active_metabolite_hours must be bigger than 0")
                if "washout_days" in data__halflife_keys:
                    data__halflife_keys.remove("washout_days")
                    data__halflife__washoutdays = data__halflife["washout_days"]
                    if not isinstance(data__halflife__washoutdays, (int, float, Decimal)) or isinstance(data__halflife__washoutdays, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".half_life.washout_days must be number")
                    if isinstance(data__halflife__washoutdays, (int, float, Decimal)) and not isinstance(data__halflife__washoutdays, bool):
                        if data__halflife__washoutdays < 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".half_life.washout_days must be bigger than or equal to 0")
                if "source" in data__halflife_keys:
                    data__halflife_keys.remove("source")
                    data__halflife__source = data__halflife["source"]
                    validate___definitions_source(data__halflife__source, custom_formats, (name_prefix or "data") + ".half_life.source")
                if data__halflife_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".half_life must not contain "+str(data__halflife_keys)+" properties")
        if "strengths_mg" in data_keys:
            data_keys.remove("strengths_mg")
            data__strengthsmg = data["strengths_mg"]
            if not isinstance(data__strengthsmg, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".strengths_mg must be array")
            data__strengthsmg_is_list = isinstance(data__strengthsmg, (list, tuple))
            if data__strengthsmg_is_list:
                data__strengthsmg_len = len(data__strengthsmg)
                for data__strengthsmg_x, data__strengthsmg_item in enumerate(data__strengthsmg):
                    if not isinstance(data__strengthsmg_item, (int, float, Decimal)) or isinstance(data__strengthsmg_item, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".strengths_mg[{data__strengthsmg_x}]".format(**locals()) + " must be number")
                    if isinstance(data__strengthsmg_item, (int, float, Decimal)) and not isinstance(data__strengthsmg_item, bool):
                        if data__strengthsmg_item <= 0:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".strengths_mg[{data__strengthsmg_x}]".format(**locals()) + " must be bigger than 0")
        if "liquid" in data_keys:
            data_keys.remove("liquid")
            data__liquid = data["liquid"]
            if not isinstance(data__liquid, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".liquid must be object")
            data__liquid_is_dict = isinstance(data__liquid, dict)
            if data__liquid_is_dict:
                data__liquid__missing_keys = set(['available']) - data__liquid.keys()
                if data__liquid__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".liquid must contain ")
                data__liquid_keys = set(data__liquid.keys())
                if "available" in data__liquid_keys:
                    data__liquid_keys.remove("available")
                    data__liquid__available = data__liquid["available"]
                    if not isinstance(data__liquid__available, (bool)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".liquid.available must be boolean")
                if "mg_per_ml" in data__liquid_keys:
                    data__liquid_keys.remove("mg_per_ml")
                    data__liquid__mgperml = data__liquid["mg_per_ml"]
                    if not isinstance(data__liquid__mgperml, (int, float, Decimal)) or isinstance(data__liquid__mgperml, bool):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".liquid.mg_per_ml must be number")
                if data__liquid_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".liquid must not contain "+str(data__liquid_keys)+" properties")
        if "controlled_schedule" in data_keys:
            data_keys.remove("controlled_schedule")
            data__controlledschedule = data["controlled_schedule"]
            if not (data__controlledschedule is None or isinstance(data__controlledschedule, str) and data__controlledschedule == 'II' or isinstance(data__controlledschedule, str) and data__controlledschedule == 'III' or isinstance(data__controlledschedule, str) and data__controlledschedule == 'IV' or isinstance(data__controlledschedule, str) and data__controlledschedule == 'V'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".controlled_schedule must be one of [None, 'II', 'III', 'IV', 'V']")
        if "long_acting_injectable" in data_keys:
            data_keys.remove("long_acting_injectable")
            data__longactinginjectable = data["long_acting_injectable"]
            if not isinstance(data__longactinginjectable, (list, tuple)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".long_acting_injectable must be array")
            data__longactinginjectable_is_list = isinstance(data__longactinginjectable, (list, tuple))
            if data__longactinginjectable_is_list:
                data__longactinginjectable_len = len(data__longactinginjectable)
                for data__longactinginjectable_x, data__longactinginjectable_item in enumerate(data__longactinginjectable):
                    if not isinstance(data__longactinginjectable_item, (dict)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".long_acting_injectable[{data__longactinginjectable_x}]".format(**locals()) + " must be object")
                    data__longactinginjectable_item_is_dict = isinstance(data__longactinginjectable_item, dict)
                    if data__longactinginjectable_item_is_dict:
                        data__longactinginjectable_item__missing_keys = set(['brand', 'interval_days', 'source']) - data__longactinginjectable_item.keys()
                        if data__longactinginjectable_item__missing_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".long_acting_injectable[{data__longactinginjectable_x}]".format(**locals()) + " must contain ")
                        data__longactinginjectable_item_keys = set(data__longactinginjectable_item.keys())
                        if "brand" in data__longactinginjectable_item_keys:
                            data__longactinginjectable_item_keys.remove("brand")
                            data__longactinginjectable_item__brand = data__longactinginjectable_item["brand"]
                            if not isinstance(data__longactinginjectable_item__brand, (str)):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".long_acting_injectable[{data__longactinginjectable_x}].brand".format(**locals()) + " must be string")
                        if "interval_days" in data__longactinginjectable_item_keys:
                            data__longactinginjectable_item_keys.remove("interval_days")
                            data__longactinginjectable_item__intervaldays = data__longactinginjectable_item["interval_days"]
                            if not isinstance(data__longactinginjectable_item__intervaldays, (int, float, Decimal)) or isinstance(data__longactinginjectable_item__intervaldays, bool):
                                raise JsonSchemaValueException("" + (name_prefix or "data") + ".long_acting_injectable[{data__longactinginjectable_x}].interval_days".format(**locals()) + " must be number")
                        if "source" in data__longactinginjectable_item_keys:
                            data__longactinginjectable_item_keys.remove("source")
                            data__longactinginjectable_item__source = data__longactinginjectable_item["source"]
                            validate___definitions_source(data__longactinginjectable_item__source, custom_formats, (name_prefix or "data") + ".long_acting_injectable[{data__longactinginjectable_x}].source".format(**locals()))
                        if data__longactinginjectable_item_keys:
                            raise JsonSchemaValueException("" + (name_prefix or "data") + ".long_acting_injectable[{data__longactinginjectable_x}]".format(**locals()) + " must not contain "+str(data__longactinginjectable_item_keys)+" properties")
        if "route" in data_keys:
            data_keys.remove("route")
            data__route = data["route"]
            if not (isinstance(data__route, str) and data__route == 'oral' or isinstance(data__route, str) and data__route == 'transdermal' or isinstance(data__route, str) and data__route == 'intranasal' or isinstance(data__route, str) and data__route == 'intravenous' or isinstance(data__route, str) and data__route == 'sublingual' or isinstance(data__route, str) and data__route == 'injection' or isinstance(data__route, str) and data__route == 'inhaled' or isinstance(data__route, str) and data__route == 'topical'):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".route must be one of ['oral', 'transdermal', 'intranasal', 'intravenous', 'sublingual', 'injection', 'inhaled', 'topical']")
        if "geriatric_note" in data_keys:
            data_keys.remove("geriatric_note")
            data__geriatricnote = data["geriatric_note"]
            if not isinstance(data__geriatricnote, (dict)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".geriatric_note must be object")
            data__geriatricnote_is_dict = isinstance(data__geriatricnote, dict)
            if data__geriatricnote_is_dict:
                data__geriatricnote__missing_keys = set(['text', 'source']) - data__geriatricnote.keys()
                if data__geriatricnote__missing_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".geriatric_note must contain ")
                data__geriatricnote_keys = set(data__geriatricnote.keys())
                if "text" in data__geriatricnote_keys:
                    data__geriatricnote_keys.remove("text")
                    data__geriatricnote__text = data__geriatricnote["text"]
                    if not isinstance(data__geriatricnote__text, (str)):
                        raise JsonSchemaValueException("" + (name_prefix or "data") + ".geriatric_note.text must be string")
                if "source" in data__geriatricnote_keys:
                    data__geriatricnote_keys.remove("source")
                    data__geriatricnote__source = data__geriatricnote["source"]
                    validate___definitions_source(data__geriatricnote__source, custom_formats, (name_prefix or "data") + ".geriatric_note.source")
                if data__geriatricnote_keys:
                    raise JsonSchemaValueException("" + (name_prefix or "data") + ".geriatric_note must not contain "+str(data__geriatricnote_keys)+" properties")
        if "sources" in data_keys:
            data_keys.remove("sources")
            data__sources = data["sources"]
            validate___definitions_sources(data__sources, custom_formats, (name_prefix or "data") + ".sources")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
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
            validate___definitions_source(data_item, custom_formats, (name_prefix or "data") + "[{data_x}]".format(**locals()))
    return data

def validate___definitions_repro(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['risk', 'note', 'source']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "risk" in data_keys:
            data_keys.remove("risk")
            data__risk = data["risk"]
            validate___definitions_risk(data__risk, custom_formats, (name_prefix or "data") + ".risk")
        if "note" in data_keys:
            data_keys.remove("note")
            data__note = data["note"]
            if not isinstance(data__note, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".note must be string")
        if "source" in data_keys:
            data_keys.remove("source")
            data__source = data["source"]
            validate___definitions_source(data__source, custom_formats, (name_prefix or "data") + ".source")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_risk(data, custom_formats={}, name_prefix=None):
    if not (isinstance(data, str) and data == 'compatible' or isinstance(data, str) and data == 'caution' or isinstance(data, str) and data == 'avoid' or isinstance(data, str) and data == 'contraindicated'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['compatible', 'caution', 'avoid', 'contraindicated']")
    return data

def validate___definitions_organ_rule(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (dict)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be object")
    data_is_dict = isinstance(data, dict)
    if data_is_dict:
        data__missing_keys = set(['action', 'source']) - data.keys()
        if data__missing_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must contain ")
        data_keys = set(data.keys())
        if "max_mg" in data_keys:
            data_keys.remove("max_mg")
            data__maxmg = data["max_mg"]
            if not isinstance(data__maxmg, (int, float, Decimal, NoneType)) or isinstance(data__maxmg, bool):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".max_mg must be number or null")
        if "avoid" in data_keys:
            data_keys.remove("avoid")
            data__avoid = data["avoid"]
            if not isinstance(data__avoid, (bool)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".avoid must be boolean")
        if "action" in data_keys:
            data_keys.remove("action")
            data__action = data["action"]
            if not isinstance(data__action, (str)):
                raise JsonSchemaValueException("" + (name_prefix or "data") + ".action must be string")
        if "source" in data_keys:
            data_keys.remove("source")
            data__source = data["source"]
            validate___definitions_source(data__source, custom_formats, (name_prefix or "data") + ".source")
        if data_keys:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must not contain "+str(data_keys)+" properties")
    return data

def validate___definitions_strength(data, custom_formats={}, name_prefix=None):
    if not (isinstance(data, str) and data == 'weak' or isinstance(data, str) and data == 'moderate' or isinstance(data, str) and data == 'strong'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['weak', 'moderate', 'strong']")
    return data

def validate___definitions_source(data, custom_formats={}, name_prefix=None):
    if not isinstance(data, (str)):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be string")
    if isinstance(data, str):
        data_len = len(data)
        if data_len < 8:
            raise JsonSchemaValueException("" + (name_prefix or "data") + " must be longer than or equal to 8 characters")
    return data

def validate___definitions_level(data, custom_formats={}, name_prefix=None):
    if not (isinstance(data, str) and data == 'none' or isinstance(data, str) and data == 'low' or isinstance(data, str) and data == 'moderate' or isinstance(data, str) and data == 'high'):
        raise JsonSchemaValueException("" + (name_prefix or "data") + " must be one of ['none', 'low', 'moderate', 'high']")
    return data